// Under `mkdocs serve` only (the briefing plugin adds this script there). While the records have
// errors, the server keeps serving the last good site and lists the errors in
// briefing-errors.json; this shows them over the page, as text (record text is never read as
// HTML). The next good save removes the file, and MkDocs' live reload reloads the page.
(function () {
  "use strict";
  var errors = new URL("../briefing-errors.json", document.currentScript.src);
  fetch(errors, { cache: "no-store" })
    .then(function (response) { return response.ok ? response.json() : []; })
    .then(function (lines) {
      if (!Array.isArray(lines) || lines.length === 0) { return; }
      var box = document.createElement("section");
      box.id = "briefing-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;z-index:1000;max-height:60vh;" +
        "overflow:auto;padding:1em 1.5em;background:#fff3f3;color:#5c0000;" +
        "border-top:4px solid #c00;font-size:0.8rem;box-shadow:0 -2px 8px rgba(0,0,0,.3)";
      var heading = document.createElement("h2");
      heading.textContent = "The content has errors. This preview shows the last good " +
        "version until they are fixed:";
      heading.style.cssText = "margin:0 0 .5em;font-size:1rem;color:inherit";
      var list = document.createElement("ul");
      list.style.cssText = "margin:0;font-family:monospace;white-space:pre-wrap";
      lines.forEach(function (line) {
        var item = document.createElement("li");
        item.textContent = String(line);
        list.appendChild(item);
      });
      box.appendChild(heading);
      box.appendChild(list);
      document.body.appendChild(box);
    })
    .catch(function () { /* no errors file: nothing to show */ });
})();
