// The timeline pages. On /timeline/, the visual timeline (timeline-lanes.js, loaded only
// there). On a year page (/timeline/<year>/, paginated), filters by type, actor, tag and status
// that cover every event of the year, not only the page shown: they read the year from
// data/timeline/ and, while a filter is set, list every match of the year in place of the page.
// The ticked filters live in the URL (?type=…&actors=…&tags=…&status=…): reload, share and the
// back button keep them. Without JavaScript the filter bar stays hidden and every entry of the
// page shows. Record text is set with textContent only (dom.js).
import { el, onEveryPage } from "./dom.js";

const FIELDS = [
  ["type", "Type"],
  ["actors", "Actor"],
  ["tags", "Tag"],
  ["status", "Status"],
];

async function load(bar) {
  const root = bar.dataset.root;
  const [index, year] = await Promise.all(
    [`${root}data/timeline/index.json`, `${root}data/timeline/${bar.dataset.year}.json`].map(
      (url) => fetch(url).then((response) => response.json()),
    ),
  );
  return year.id.map((id, k) => {
    const i = year.start + k;
    return {
      id,
      title: year.title[k],
      date: year.date[k],
      type: index.types[index.type[i]],
      status: index.statuses[index.status[i]],
      actors: index.actor[i].map((n) => index.actors[n]),
      tags: index.tag[i].map((n) => [index.tags[n], index.tags[n]]),
    };
  });
}

function values(event, key) {
  if (key === "type" || key === "status") return [event[key][0]];
  return event[key].map((pair) => pair[0]);
}

function options(events, key) {
  const found = new Map();
  for (const event of events) {
    const pairs = key === "type" || key === "status" ? [event[key]] : event[key];
    for (const [value, label] of pairs) found.set(value, label);
  }
  return [...found].sort((a, b) => a[1].localeCompare(b[1]));
}

function entry(event, bar) {
  const link = (pattern, id, text) =>
    el("a", { href: pattern.replace("ID", encodeURIComponent(id)), textContent: text });
  const line = el(
    "p",
    {},
    el("strong", { textContent: event.date }),
    ` · ${event.type[1]} · `,
    link(bar.dataset.brief, event.id, event.title),
  );
  if (event.status[0] !== "confirmed") {
    line.append(
      " · ",
      el("span", {
        className: `badge badge--${event.status[0]}`,
        textContent: event.status[1],
      }),
    );
  }
  const actors = el("p", { className: "entry-actors" }, "Actors: ");
  event.actors.forEach(([id, name], n) => {
    if (n) actors.append(", ");
    actors.append(link(bar.dataset.actor, id, name));
  });
  return el("div", { className: "entry timeline-filters__match" }, line, actors);
}

function chosenFromUrl() {
  const params = new URLSearchParams(window.location.search);
  return Object.fromEntries(FIELDS.map(([key]) => [key, params.get(key) || ""]));
}

function writeUrl(chosen) {
  const params = new URLSearchParams(window.location.search);
  for (const [key] of FIELDS) {
    if (chosen[key]) params.set(key, chosen[key]);
    else params.delete(key);
  }
  const query = params.toString();
  const url = `${window.location.pathname}${query ? `?${query}` : ""}${window.location.hash}`;
  window.history.pushState(null, "", url);
}

async function initYear(bar) {
  if (bar.dataset.ready || bar.dataset.started) return;
  bar.dataset.started = "true";
  const events = await load(bar);
  const content = bar.closest(".md-content") || document;
  const own = [...content.querySelectorAll(".entry:not(.timeline-filters__match)")];
  const hideable = [...own, ...content.querySelectorAll("h2, .pager")].filter(
    (node) => node !== bar && !bar.contains(node),
  );
  const results = el("div", { className: "timeline-filters__results" });
  bar.after(results);
  let chosen = chosenFromUrl();
  const form = el("form", {
    className: "timeline-filters__form",
    "aria-label": "Filter the timeline",
  });
  const count = el("p", { className: "timeline-filters__count", role: "status" });

  function apply() {
    const active = FIELDS.some(([key]) => chosen[key]);
    for (const node of hideable) node.hidden = active;
    const matches = events.filter((event) =>
      FIELDS.every(([key]) => !chosen[key] || values(event, key).includes(chosen[key])),
    );
    results.replaceChildren(...(active ? matches.map((event) => entry(event, bar)) : []));
    const shown = active ? matches.length : own.length;
    count.textContent = `${shown} of ${events.length} events shown`;
    for (const [key] of FIELDS) form.elements[key].value = chosen[key];
  }

  for (const [key, label] of FIELDS) {
    const select = el(
      "select",
      { name: key },
      el("option", { value: "", textContent: "All" }),
      ...options(events, key).map(([value, text]) => el("option", { value, textContent: text })),
    );
    select.addEventListener("change", () => {
      chosen = { ...chosen, [key]: select.value };
      writeUrl(chosen);
      apply();
    });
    form.append(el("label", { className: "timeline-filters__field" }, `${label} `, select));
  }
  window.addEventListener("popstate", () => {
    if (!bar.isConnected) return;
    chosen = chosenFromUrl();
    apply();
  });
  bar.append(form, count);
  bar.hidden = false;
  apply();
  bar.dataset.ready = "true";
}

function init() {
  const bar = document.querySelector("[data-timeline-filters]");
  if (bar) initYear(bar);
  const figure = document.querySelector("[data-timeline-lanes]");
  if (figure) import("./timeline-lanes.js").then((lanes) => lanes.start(figure));
}

onEveryPage(init);
