/* The map's date control (durovbook.bans.map_control): the status of each
   country on the chosen date, computed as durovbook.bans.status_as_of does,
   from the episodes written into the page. No request leaves the page. */
(function () {
  "use strict";
  var root = document.currentScript.parentElement;
  var episodes = JSON.parse(root.querySelector("script[type='application/json']").textContent);
  var form = root.querySelector("form");
  var input = form.querySelector("input");
  var said = root.querySelector("[data-said]");
  // The words in the page's language (data-labels, written by map_control in
  // the French edition); the English edition has none and shows the keys.
  var labels = JSON.parse(root.getAttribute("data-labels") || "{}");
  function word(key) { return labels[key] || key; }

  function statusOn(eps, day) {
    var past = eps.filter(function (e) { return e.start <= day; });
    var executed = past.filter(function (e) { return e.scope !== "ordered-not-executed"; });
    var now = executed.filter(function (e) { return e.last >= day || e.open; });
    var full = now.filter(function (e) { return e.scope === "full"; });
    var basis = full.length ? full : now;
    var verified = basis.every(function (e) { return e.last >= day; });
    if (full.length) return ["blocked", verified];
    if (now.length) return ["partially blocked", verified];
    if (executed.length) return ["formerly blocked", true];
    if (past.length) return ["never executed", true];
    return ["none", true];
  }

  function redraw() {
    var day = input.value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return;
    var counts = {};
    root.querySelectorAll("tr[data-iso3]").forEach(function (row) {
      var iso3 = row.getAttribute("data-iso3");
      var result = statusOn(episodes.filter(function (e) { return e.iso3 === iso3; }), day);
      row.querySelector("[data-status]").textContent = word(result[0]);
      row.querySelector("[data-verified]").textContent = word(result[1] ? "yes" : "no");
      counts[result[0]] = (counts[result[0]] || 0) + 1;
    });
    var list = Object.keys(counts).map(function (k) { return counts[k] + " " + word(k); }).join(", ");
    said.textContent = word("Statuses on {date}: {counts}.").replace("{date}", day).replace("{counts}", list);
  }

  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); redraw(); });
  input.addEventListener("change", redraw);
  input.addEventListener("input", redraw);
})();
