// Under `mkdocs serve` only (the briefing plugin adds this script there). While the records have
// errors, the server keeps serving the last good site and lists the errors in
// briefing-errors.json (an empty list when there are none); this shows them over the page, as
// text (record text is never read as HTML). The next good save empties the list, and MkDocs'
// live reload reloads the page.
//
// The panel (styled in briefing.css, .briefing-errors) takes at most a quarter of the screen,
// and is a <details>: its summary collapses it to one line, so the page stays readable while the
// editor fixes the records. Collapsed stays collapsed across the live reloads of the tab.
import { el } from "./dom.js";

const COLLAPSED = "briefing-errors-collapsed"; // (sessionStorage: this tab only)

async function errors() {
  try {
    const response = await fetch(new URL("../briefing-errors.json", import.meta.url), {
      cache: "no-store",
    });
    return response.ok ? await response.json() : [];
  } catch {
    return []; // the server is restarting: nothing to show
  }
}

function remembered() {
  try {
    return sessionStorage.getItem(COLLAPSED) === "1";
  } catch {
    return false; // (storage refused: the panel opens)
  }
}

function remember(collapsed) {
  try {
    sessionStorage.setItem(COLLAPSED, collapsed ? "1" : "0");
  } catch {
    // (storage refused: the choice lasts until the next reload)
  }
}

const lines = await errors();
if (Array.isArray(lines) && lines.length > 0) {
  const count = `${lines.length} error${lines.length === 1 ? "" : "s"}`;
  const summary = el("summary", {
    className: "briefing-errors__summary",
    textContent: `The content has ${count}. This preview shows the last good version until they are fixed.`,
  });
  const list = el(
    "ul",
    { className: "briefing-errors__list" },
    ...lines.map((line) => el("li", { textContent: String(line) })),
  );
  const panel = el("details", { className: "briefing-errors__details", open: !remembered() });
  panel.append(summary, list);
  panel.addEventListener("toggle", () => remember(!panel.open));
  const box = el(
    "section",
    { id: "briefing-errors", className: "briefing-errors", "aria-label": "Content errors" },
    panel,
  );
  document.body.appendChild(box);
}
