/* durovsite-ui.js: the little that the pages use of four scripts, in their place (see bookbuild/assets.py):
   1. Bootstrap's (the theme's bootstrap.js, Bootstrap and Popper: 24 kB gzip): tooltips, the download menu,
      "Back to top", window.bootstrap.Tooltip;
   2. sphinx-togglebutton's togglebutton.js (3 kB): folded admonitions, with its markup and hints;
   3. sphinx-copybutton's copybutton.js and clipboard.min.js (6 kB): the copy button of each code cell. */
(function () {
  "use strict";

  /* 1. Bootstrap: tooltips on [data-bs-toggle="tooltip"], shown after 500 ms on hover or at once on focus,
     hidden on leaving, on blur and with Escape, drawn with Bootstrap's classes so that the theme's CSS
     styles them; the download menu ([data-bs-toggle="dropdown"]): a click, Enter or Space opens it, the
     arrow keys open it and move between its items, Escape closes it and gives the focus back to its
     button, a click elsewhere or the focus leaving closes it; pydata-sphinx-theme's "Back to top". */
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

  /* 2. sphinx-togglebutton: each ".toggle, .admonition.dropdown" folds; its title (and the button in it)
     opens and closes it; printed, everything is open. The hints are the book's settings, which
     bookbuild/assets.py checks (TOGGLE_SETTINGS, TOGGLE_SETTINGS_FR); the French edition's pages
     (<html lang="fr">, bookbuild/editions.py) get the French ones. */
  var FR = /^fr/i.test(document.documentElement.lang);
  var SHOW = FR ? "Cliquez pour afficher" : "Click to show";
  var HIDE = FR ? "Cliquez pour masquer" : "Click to hide";
  var CHEVRON = '<svg xmlns="http://www.w3.org/2000/svg" class="tb-icon toggle-chevron-right" width="44" height="44"' +
    ' viewBox="0 0 24 24" stroke-width="1.5" stroke="#000000" fill="none" stroke-linecap="round"' +
    ' stroke-linejoin="round"><path stroke="none" d="M0 0h24v24H0z" fill="none"/><polyline points="9 6 15 12 9 18" />' +
    "</svg>";

  function flip(item, button, hide) {
    item.classList.toggle("toggle-hidden", hide);
    button.classList.toggle("toggle-button-hidden", hide);
    button.dataset.toggleHint = hide ? SHOW : HIDE;
    button.setAttribute("aria-expanded", String(!hide));
  }

  function admonition(item, index) {
    if (!item.id) item.id = "toggle-" + index;
    item.classList.add("toggle");
    var title = item.querySelector(".admonition-title");
    if (!title) return;
    var id = "button-" + item.id;
    title.insertAdjacentHTML("beforeend", '<button type="button" id="' + id + '" class="toggle-button" data-target="' +
      item.id + '" data-button="' + id + '" data-toggle-hint="' + SHOW + '" aria-label="' + (FR ? "Afficher ou masquer le contenu" : "Toggle hidden content") + '"' +
      ' aria-expanded="false">' + CHEVRON + "</button>");
    var button = title.lastElementChild;
    title.dataset.target = item.id;
    title.dataset.button = id;
    // The whole title opens and closes it (its button too: the click reaches the title).
    title.addEventListener("click", function () { flip(item, button, !item.classList.contains("toggle-hidden")); });
    if (!item.classList.contains("toggle-shown")) flip(item, button, true);
  }

  function details(item) {
    item.insertAdjacentHTML("beforebegin", '<details class="toggle-details"><summary class="toggle-details__summary">' +
      CHEVRON + '<span class="toggle-details__summary-text">' + SHOW + "</span></summary></details>");
    var box = item.previousElementSibling;
    box.appendChild(item);
    item.classList.add("toggle-details__container");
    box.addEventListener("toggle", function () {
      box.querySelector(".toggle-details__summary-text").textContent = box.open ? HIDE : SHOW;
    });
    if (item.classList.contains("toggle-shown")) box.open = true;
  }

  // Printed, everything folded is open; afterwards it folds again.
  window.addEventListener("beforeprint", function () {
    [].forEach.call(document.querySelectorAll("details.toggle-details"), function (d) {
      d.dataset.togglestatus = d.open;
      d.open = true;
    });
    [].forEach.call(document.querySelectorAll(".admonition.toggle.toggle-hidden"), function (a) {
      a.dataset.toggle_after_print = "true";
      flip(a, a.querySelector("button.toggle-button"), false);
    });
  });
  window.addEventListener("afterprint", function () {
    [].forEach.call(document.querySelectorAll("details.toggle-details"), function (d) {
      d.open = d.dataset.togglestatus === "true";
      delete d.dataset.togglestatus;
    });
    [].forEach.call(document.querySelectorAll(".admonition.toggle"), function (a) {
      if (a.dataset.toggle_after_print !== "true") return;
      flip(a, a.querySelector("button.toggle-button"), true);
      delete a.dataset.toggle_after_print;
    });
  });

  /* 3. sphinx-copybutton: a button after each "div.highlight pre" copies the code, without a trailing
     newline, with the browser's Clipboard API (or, where that is refused, a hidden text area). */
  var svg = '<svg xmlns="http://www.w3.org/2000/svg" class="icon icon-tabler icon-tabler-{n}" width="44" height="44"' +
    ' viewBox="0 0 24 24" stroke-width="{w}" stroke="{c}" fill="none" stroke-linecap="round" stroke-linejoin="round">' +
    '<title>{t}</title><path stroke="none" d="M0 0h24v24H0z" fill="none"/>{p}</svg>';
  var icon = function (n, w, c, t, p) {
    return svg.replace("{n}", n).replace("{w}", w).replace("{c}", c).replace("{t}", t).replace("{p}", p);
  };
  var COPY = icon("copy", "1.5", "#000000", FR ? "Copier dans le presse-papiers" : "Copy to clipboard", '<rect x="8" y="8" width="12" height="12" rx="2" />' +
    '<path d="M16 8v-2a2 2 0 0 0 -2 -2h-8a2 2 0 0 0 -2 2v8a2 2 0 0 0 2 2h2" />');
  var SAID = FR ? {copy: "Copier", copied: "Copié !", failed: "Échec de la copie"}
    : {copy: "Copy", copied: "Copied!", failed: "Failed to copy"};
  var CHECK = icon("check", "2", "#22863a", SAID.copied, '<path d="M5 12l5 5l10 -10" />');

  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    area.remove();
    return done;
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallback(text) || Promise.reject(); });
    }
    return fallback(text) ? Promise.resolve() : Promise.reject();
  }

  function said(button, tooltip, success) {
    button.setAttribute("data-tooltip", tooltip);
    if (success) {
      button.classList.add("success");
      button.innerHTML = CHECK;
      setTimeout(function () { button.classList.remove("success"); }, 1500);
      setTimeout(function () { button.innerHTML = COPY; }, 2000);
    }
    setTimeout(function () { button.setAttribute("data-tooltip", SAID.copy); }, 2000);
  }

  function copyButtons() {
    [].forEach.call(document.querySelectorAll("div.highlight pre"), function (pre, i) {
      pre.id = "codecell" + i;
      pre.insertAdjacentHTML("afterend", '<button class="copybtn o-tooltip--left" data-tooltip="' + SAID.copy + '" ' +
        'data-clipboard-target="#codecell' + i + '">' + COPY + "</button>");
      var button = pre.nextElementSibling;
      button.addEventListener("click", function () {
        var clone = pre.cloneNode(true);
        [].forEach.call(clone.querySelectorAll(".linenos"), function (n) { n.remove(); });
        // No trailing newline: pasted into a console, the code does not run at once.
        var text = clone.innerText.replace(/\n$/, "");
        copy(text).then(function () { said(button, SAID.copied, true); },
                        function () { said(button, SAID.failed, false); });
      });
    });
  }

  function start() {
    [].forEach.call(document.querySelectorAll('[data-bs-toggle="tooltip"]'), function (el) { new Tooltip(el); });
    [].forEach.call(document.querySelectorAll('[data-bs-toggle="dropdown"]'), function (el) { new Dropdown(el); });
    backToTop();
    [].forEach.call(document.querySelectorAll(".toggle, .admonition.dropdown"), function (item, index) {
      if (item.classList.contains("admonition")) admonition(item, index); else details(item);
    });
    copyButtons();
  }

  window.bootstrap = { Tooltip: Tooltip, Dropdown: Dropdown };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
