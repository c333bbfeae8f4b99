/* The slides of the lesson: one slide at a time, with the keyboard, buttons,
   a counter and an address (#slide-3) per slide. Written by bookbuild/slides.py
   into _build/html/slides/. Without this script the slides read as one
   scrolling page; printed, each slide fills one A4 landscape page (slides.css).

   Keys: Right, Down, Page Down, Space: next slide. Left, Up, Page Up,
   Shift+Space: previous slide. Home, End: first and last slide. F: full screen. */
(function () {
  "use strict";
  var root = document.documentElement;

  // The colour theme before the page is drawn: the book's stored choice, else the system's.
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function stored() {
    try { return window.localStorage.getItem("theme"); } catch (e) { return null; }
  }
  function applyTheme() {
    var choice = stored();
    root.dataset.theme = (choice === "light" || choice === "dark") ? choice : (dark && dark.matches ? "dark" : "light");
  }
  applyTheme();
  if (dark && dark.addEventListener) { dark.addEventListener("change", applyTheme); }

  function start() {
    var slides = Array.prototype.slice.call(document.querySelectorAll("section.slide"));
    var controls = document.getElementById("slide-controls");
    if (!slides.length || !controls) { return; }
    var counter = document.getElementById("slide-counter");
    var previous = document.getElementById("slide-previous");
    var next = document.getElementById("slide-next");
    var full = document.getElementById("slide-fullscreen");
    var current = -1;

    root.classList.add("slides-js");
    controls.hidden = false;

    function fromHash() {
      var match = /^#slide-(\d+)$/.exec(window.location.hash);
      var n = match ? parseInt(match[1], 10) : 0;
      return n >= 1 && n <= slides.length ? n - 1 : -1;
    }

    function show(index) {
      index = Math.max(0, Math.min(slides.length - 1, index));
      var moved = index !== current;
      var focused = document.activeElement;
      current = index;
      slides.forEach(function (slide, i) { slide.classList.toggle("is-current", i === index); });
      counter.textContent = (index + 1) + " / " + slides.length;
      previous.disabled = index === 0;
      next.disabled = index === slides.length - 1;
      if (window.location.hash !== "#slide-" + (index + 1)) {
        window.history.replaceState(null, "", "#slide-" + (index + 1));
      }
      // Focus never stays in a slide that is no longer shown: it goes back to the page.
      var hidden = slides.some(function (slide, i) { return i !== index && slide.contains(focused); });
      if (moved && focused && hidden && focused.blur) { focused.blur(); }
      window.scrollTo(0, 0);
    }

    previous.addEventListener("click", function () { show(current - 1); });
    next.addEventListener("click", function () { show(current + 1); });
    window.addEventListener("hashchange", function () {
      var index = fromHash();
      if (index >= 0) { show(index); }
    });

    function fullscreen() {
      if (document.fullscreenElement) { document.exitFullscreen(); }
      else if (root.requestFullscreen) { root.requestFullscreen().catch(function () {}); }
    }
    if (full && document.fullscreenEnabled) {
      full.hidden = false;
      // The page writes both labels in its own language (data-leave: the French deck's too).
      var enter = full.textContent, leave = full.getAttribute("data-leave") || "Leave full screen";
      full.addEventListener("click", fullscreen);
      document.addEventListener("fullscreenchange", function () {
        var on = Boolean(document.fullscreenElement);
        full.setAttribute("aria-pressed", on ? "true" : "false");
        full.textContent = on ? leave : enter;
      });
    }

    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) { return; }
      var target = event.target;
      var tag = target && target.tagName ? target.tagName.toLowerCase() : "";
      // A focused button or link keeps its own Space and Enter.
      if ((event.key === " " || event.key === "Enter") && (tag === "button" || tag === "a")) { return; }
      if (tag === "input" || tag === "textarea" || tag === "select") { return; }
      var to = null;
      switch (event.key) {
        case "ArrowRight": case "ArrowDown": case "PageDown": to = current + 1; break;
        case "ArrowLeft": case "ArrowUp": case "PageUp": to = current - 1; break;
        case " ": to = event.shiftKey ? current - 1 : current + 1; break;
        case "Home": to = 0; break;
        case "End": to = slides.length - 1; break;
        case "f": case "F": if (full && !full.hidden) { fullscreen(); event.preventDefault(); } return;
        default: return;
      }
      event.preventDefault();
      show(to);
    });

    show(Math.max(0, fromHash()));
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
}());
