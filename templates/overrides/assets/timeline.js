// Timeline filters: narrow the entries of a timeline page by type, actor, tag and status,
// without loading a page. Without JavaScript the filter bar stays hidden and every entry shows.
// Labels come from the page itself (data attributes and link texts), set with textContent only.
(function () {
  "use strict";
  var FIELDS = [
    ["type", "Type"],
    ["actors", "Actor"],
    ["tags", "Tag"],
    ["status", "Status"],
  ];

  function options(entries) {
    var found = { type: {}, actors: {}, tags: {}, status: {} };
    entries.forEach(function (entry) {
      found.type[entry.dataset.type] = entry.dataset.typeLabel;
      found.status[entry.dataset.status] = entry.dataset.statusLabel;
      (entry.dataset.tags || "").split(" ").filter(Boolean).forEach(function (tag) {
        found.tags[tag] = tag;
      });
      entry.querySelectorAll(".entry-actors a").forEach(function (link) {
        var id = link.getAttribute("href").replace(/\/(index\.html)?$/, "").split("/").pop().replace(/\.html$/, "");
        found.actors[id] = link.textContent;
      });
    });
    return found;
  }

  function matches(entry, chosen) {
    return FIELDS.every(function (field) {
      var want = chosen[field[0]];
      if (!want) return true;
      var have = (entry.dataset[field[0]] || "").split(" ");
      return have.indexOf(want) !== -1;
    });
  }

  function init() {
    var bar = document.querySelector("[data-timeline-filters]");
    if (!bar || bar.dataset.ready) return;
    var entries = Array.prototype.slice.call(document.querySelectorAll(".md-content .entry"));
    if (!entries.length) return;
    var found = options(entries);
    var chosen = {};
    var form = document.createElement("form");
    form.className = "timeline-filters__form";
    form.setAttribute("aria-label", "Filter the timeline");
    var count = document.createElement("p");
    count.className = "timeline-filters__count";
    count.setAttribute("role", "status");

    function apply() {
      var shown = 0;
      entries.forEach(function (entry) {
        var ok = matches(entry, chosen);
        entry.hidden = !ok;
        if (ok) shown += 1;
      });
      document.querySelectorAll(".md-content h2").forEach(function (heading) {
        var node = heading.nextElementSibling;
        var any = false;
        while (node && node.tagName !== "H2") {
          if (node.classList.contains("entry") && !node.hidden) any = true;
          node = node.nextElementSibling;
        }
        if (heading.nextElementSibling && heading.nextElementSibling.classList.contains("entry")) heading.hidden = !any;
      });
      count.textContent = shown + " of " + entries.length + " events shown";
    }

    FIELDS.forEach(function (field) {
      var key = field[0];
      var values = Object.keys(found[key]).sort(function (a, b) {
        return found[key][a].localeCompare(found[key][b]);
      });
      if (!values.length) return;
      var label = document.createElement("label");
      label.className = "timeline-filters__field";
      var select = document.createElement("select");
      select.name = key;
      var all = document.createElement("option");
      all.value = "";
      all.textContent = "All";
      select.appendChild(all);
      values.forEach(function (value) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = found[key][value];
        select.appendChild(option);
      });
      select.addEventListener("change", function () {
        chosen[key] = select.value;
        apply();
      });
      label.appendChild(document.createTextNode(field[1] + " "));
      label.appendChild(select);
      form.appendChild(label);
    });
    bar.appendChild(form);
    bar.appendChild(count);
    bar.hidden = false;
    bar.dataset.ready = "true";
    apply();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
