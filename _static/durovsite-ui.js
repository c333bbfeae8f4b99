/* durovsite-ui.js: what the pages use of Bootstrap's script, in place of the theme's bootstrap.js (24 kB gzip):
   tooltips, the download menu, "Back to top", window.bootstrap.Tooltip. See bookbuild/assets.py. */
(function () {
  "use strict";
  var count = 0;
  var GAP = 6;

  function Tooltip(el, options) {
    options = options || {};
    var title = options.title || el.getAttribute("data-bs-title") || el.getAttribute("title") || "";
    var placement = options.placement || el.getAttribute("data-bs-placement") || "top";
    var tip = null;
    var timer = null;
    if (el.hasAttribute("title")) {
      // As Bootstrap does: the drawn tooltip replaces the browser's own.
      el.setAttribute("data-bs-original-title", el.getAttribute("title"));
      el.removeAttribute("title");
    }
    if (title && !el.hasAttribute("aria-label") && !el.textContent.trim()) el.setAttribute("aria-label", title);

    function place(side) {
      var r = el.getBoundingClientRect();
      var w = tip.offsetWidth;
      var h = tip.offsetHeight;
      var vw = document.documentElement.clientWidth;
      var top, left;
      if (side === "left" || side === "right") {
        top = r.top + r.height / 2 - h / 2;
        left = side === "left" ? r.left - w - GAP : r.right + GAP;
      } else {
        top = side === "top" ? r.top - h - GAP : r.bottom + GAP;
        left = Math.max(4, Math.min(r.left + r.width / 2 - w / 2, vw - w - 4));
      }
      tip.setAttribute("data-popper-placement", side);
      tip.style.top = top + window.pageYOffset + "px";
      tip.style.left = left + window.pageXOffset + "px";
      var arrow = tip.firstChild;
      if (side === "left" || side === "right") arrow.style.top = h / 2 - 6 + "px";
      else arrow.style.left = r.left + r.width / 2 - left - 6 + "px";
      return left >= 0 && left + w <= vw && top >= 0;
    }

    this.show = function () {
      clearTimeout(timer);
      if (tip || !title) return;
      tip = document.createElement("div");
      tip.className = "tooltip bs-tooltip-auto fade show";
      tip.setAttribute("role", "tooltip");
      tip.id = "durov-tooltip-" + ++count;
      tip.style.position = "absolute";
      tip.style.margin = "0";
      tip.innerHTML = '<div class="tooltip-arrow" style="position:absolute"></div><div class="tooltip-inner"></div>';
      tip.lastChild.textContent = title;
      document.body.appendChild(tip);
      el.setAttribute("aria-describedby", tip.id);
      var opposite = { left: "right", right: "left", top: "bottom", bottom: "top" }[placement];
      if (!place(placement) && opposite) place(opposite);
    };
    this.hide = function () {
      clearTimeout(timer);
      if (!tip) return;
      tip.remove();
      tip = null;
      el.removeAttribute("aria-describedby");
    };
    var self = this;
    if (options.trigger !== "manual") {
      var later = function (what, ms) {
        return function () { clearTimeout(timer); timer = setTimeout(what, ms); };
      };
      el.addEventListener("mouseenter", later(self.show, 500));
      el.addEventListener("mouseleave", later(self.hide, 100));
      el.addEventListener("focusin", self.show);
      el.addEventListener("focusout", self.hide);
      el.addEventListener("click", self.hide);
      document.addEventListener("keydown", function (e) { if (e.key === "Escape") self.hide(); });
    }
  }

  function Dropdown(toggle) {
    var box = toggle.parentElement;
    var menu = box.querySelector(".dropdown-menu");
    if (!menu) return;
    var items = function () {
      return [].filter.call(menu.querySelectorAll(".dropdown-item"), function (i) { return !i.disabled; });
    };
    var isOpen = function () { return menu.classList.contains("show"); };
    var open = function () {
      toggle.classList.add("show");
      menu.classList.add("show");
      toggle.setAttribute("aria-expanded", "true");
    };
    var close = function (refocus) {
      if (!isOpen()) return;
      toggle.classList.remove("show");
      menu.classList.remove("show");
      toggle.setAttribute("aria-expanded", "false");
      if (refocus) toggle.focus();
    };
    toggle.addEventListener("click", function (e) {
      e.preventDefault();
      if (isOpen()) close(false); else open();
    });
    box.addEventListener("keydown", function (e) {
      if (e.key === "Escape") {
        if (isOpen()) { e.preventDefault(); close(true); }
        return;
      }
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
      e.preventDefault();
      open();
      var list = items();
      if (!list.length) return;
      var at = list.indexOf(document.activeElement);
      var next = e.key === "ArrowDown" ? at + 1 : (at < 0 ? list.length : at) - 1;
      list[Math.max(0, Math.min(next, list.length - 1))].focus();
    });
    box.addEventListener("focusout", function (e) {
      if (!e.relatedTarget || !box.contains(e.relatedTarget)) close(false);
    });
    menu.addEventListener("click", function (e) {
      if (e.target.closest(".dropdown-item")) close(false);
    });
    document.addEventListener("click", function (e) {
      if (!box.contains(e.target)) close(false);
    });
  }

  function backToTop() {
    var button = document.getElementById("pst-back-to-top");
    var header = document.querySelector(".bd-header");
    if (!button || !header) return;
    button.addEventListener("click", function () {
      document.body.scrollTop = 0;
      document.documentElement.scrollTop = 0;
    });
    var bottom = header.getBoundingClientRect().bottom;
    var last = window.scrollY;
    window.addEventListener("scroll", function () {
      button.style.display = last > window.scrollY && window.scrollY > bottom ? "block" : "none";
      last = window.scrollY;
    });
  }

  function start() {
    [].forEach.call(document.querySelectorAll('[data-bs-toggle="tooltip"]'), function (el) { new Tooltip(el); });
    [].forEach.call(document.querySelectorAll('[data-bs-toggle="dropdown"]'), function (el) { new Dropdown(el); });
    backToTop();
  }

  window.bootstrap = { Tooltip: Tooltip, Dropdown: Dropdown };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
