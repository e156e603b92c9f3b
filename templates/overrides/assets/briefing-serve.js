// Under `mkdocs serve` only (the briefing plugin adds this script there). While the records have
// errors, the server keeps serving the last good site and lists the errors in
// briefing-errors.json; this shows them over the page, as text (record text is never read as
// HTML). The next good save removes the file, and MkDocs' live reload reloads the page.
import { el } from "./dom.js";

const BOX_STYLE =
  "position:fixed;inset:auto 0 0 0;z-index:1000;max-height:60vh;" +
  "overflow:auto;padding:1em 1.5em;background:#fff3f3;color:#5c0000;" +
  "border-top:4px solid #c00;font-size:0.8rem;box-shadow:0 -2px 8px rgba(0,0,0,.3)";

async function errors() {
  try {
    const response = await fetch(new URL("../briefing-errors.json", import.meta.url), {
      cache: "no-store",
    });
    return response.ok ? await response.json() : [];
  } catch {
    return []; // no errors file: nothing to show
  }
}

const lines = await errors();
if (Array.isArray(lines) && lines.length > 0) {
  const heading = el("h2", {
    textContent:
      "The content has errors. This preview shows the last good version until they are fixed:",
  });
  heading.style.cssText = "margin:0 0 .5em;font-size:1rem;color:inherit";
  const list = el("ul", {}, ...lines.map((line) => el("li", { textContent: String(line) })));
  list.style.cssText = "margin:0;font-family:monospace;white-space:pre-wrap";
  const box = el("section", { id: "briefing-errors", role: "alert" }, heading, list);
  box.style.cssText = BOX_STYLE;
  document.body.appendChild(box);
}
