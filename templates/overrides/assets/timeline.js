// Timeline filters: narrow the entries of a timeline page by type, actor, tag and status,
// without loading a page. Without JavaScript the filter bar stays hidden and every entry shows.
// Labels come from the page itself (data attributes and link texts), set with textContent only.
import { el, onEveryPage } from "./dom.js";

const FIELDS = [
  ["type", "Type"],
  ["actors", "Actor"],
  ["tags", "Tag"],
  ["status", "Status"],
];

function options(entries) {
  const found = { type: {}, actors: {}, tags: {}, status: {} };
  for (const entry of entries) {
    found.type[entry.dataset.type] = entry.dataset.typeLabel;
    found.status[entry.dataset.status] = entry.dataset.statusLabel;
    for (const tag of (entry.dataset.tags || "").split(" ").filter(Boolean)) found.tags[tag] = tag;
    for (const link of entry.querySelectorAll(".entry-actors a")) {
      const id = link
        .getAttribute("href")
        .replace(/\/(index\.html)?$/, "")
        .split("/")
        .pop()
        .replace(/\.html$/, "");
      found.actors[id] = link.textContent;
    }
  }
  return found;
}

function matches(entry, chosen) {
  return FIELDS.every(([key]) => {
    const want = chosen[key];
    if (!want) return true;
    return (entry.dataset[key] || "").split(" ").includes(want);
  });
}

// Hide a date heading when every entry under it is hidden.
function hideEmptyHeadings() {
  for (const heading of document.querySelectorAll(".md-content h2")) {
    if (!heading.nextElementSibling?.classList.contains("entry")) continue;
    let any = false;
    for (let node = heading.nextElementSibling; node && node.tagName !== "H2"; ) {
      if (node.classList.contains("entry") && !node.hidden) any = true;
      node = node.nextElementSibling;
    }
    heading.hidden = !any;
  }
}

function init() {
  const bar = document.querySelector("[data-timeline-filters]");
  if (!bar || bar.dataset.ready) return;
  const entries = [...document.querySelectorAll(".md-content .entry")];
  if (!entries.length) return;
  const found = options(entries);
  const chosen = {};
  const form = el("form", {
    className: "timeline-filters__form",
    "aria-label": "Filter the timeline",
  });
  const count = el("p", { className: "timeline-filters__count", role: "status" });

  function apply() {
    let shown = 0;
    for (const entry of entries) {
      const ok = matches(entry, chosen);
      entry.hidden = !ok;
      if (ok) shown += 1;
    }
    hideEmptyHeadings();
    count.textContent = `${shown} of ${entries.length} events shown`;
  }

  for (const [key, label] of FIELDS) {
    const values = Object.keys(found[key]).sort((a, b) =>
      found[key][a].localeCompare(found[key][b]),
    );
    if (!values.length) continue;
    const select = el(
      "select",
      { name: key },
      el("option", { value: "", textContent: "All" }),
      ...values.map((value) => el("option", { value, textContent: found[key][value] })),
    );
    select.addEventListener("change", () => {
      chosen[key] = select.value;
      apply();
    });
    form.append(el("label", { className: "timeline-filters__field" }, `${label} `, select));
  }
  bar.append(form, count);
  bar.hidden = false;
  bar.dataset.ready = "true";
  apply();
}

onEveryPage(init);
