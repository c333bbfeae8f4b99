/* durovsite-copy.js: sphinx-copybutton's copy buttons, its markup and CSS, in place of its copybutton.js and
   clipboard.min.js (6 kB gzip). See bookbuild/assets.py. */
(function () {
  "use strict";
  var svg = '<svg xmlns="http://www.w3.org/2000/svg" class="icon icon-tabler icon-tabler-{n}" width="44" height="44"' +
    ' viewBox="0 0 24 24" stroke-width="{w}" stroke="{c}" fill="none" stroke-linecap="round" stroke-linejoin="round">' +
    '<title>{t}</title><path stroke="none" d="M0 0h24v24H0z" fill="none"/>{p}</svg>';
  var icon = function (n, w, c, t, p) {
    return svg.replace("{n}", n).replace("{w}", w).replace("{c}", c).replace("{t}", t).replace("{p}", p);
  };
  var COPY = icon("copy", "1.5", "#000000", "Copy to clipboard", '<rect x="8" y="8" width="12" height="12" rx="2" />' +
    '<path d="M16 8v-2a2 2 0 0 0 -2 -2h-8a2 2 0 0 0 -2 2v8a2 2 0 0 0 2 2h2" />');
  var CHECK = icon("check", "2", "#22863a", "Copied!", '<path d="M5 12l5 5l10 -10" />');

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
    setTimeout(function () { button.setAttribute("data-tooltip", "Copy"); }, 2000);
  }

  function start() {
    [].forEach.call(document.querySelectorAll("div.highlight pre"), function (pre, i) {
      pre.id = "codecell" + i;
      pre.insertAdjacentHTML("afterend", '<button class="copybtn o-tooltip--left" data-tooltip="Copy" ' +
        'data-clipboard-target="#codecell' + i + '">' + COPY + "</button>");
      var button = pre.nextElementSibling;
      button.addEventListener("click", function () {
        var clone = pre.cloneNode(true);
        [].forEach.call(clone.querySelectorAll(".linenos"), function (n) { n.remove(); });
        // No trailing newline: pasted into a console, the code does not run at once.
        var text = clone.innerText.replace(/\n$/, "");
        copy(text).then(function () { said(button, "Copied!", true); },
                        function () { said(button, "Failed to copy", false); });
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
