// The explorer (/explorer/): a timeline, a map and a list of the events in one window of time,
// linked, with the site's filters. The state lives in the query string:
//   from, to    the window (YYYY, YYYY-MM or YYYY-MM-DD; from its first day to to's last)
//   type, actor, tag, country, status   filters, each a comma list of ids (any of them matches)
//   event       the event chosen; alone, the window is centred on it
// Each change a reader makes pushes a history entry, so back and forward walk through views,
// and a shared link opens the same view.
//
// The data, loaded by period as the window needs it (generator/publish/explorer.py): first the
// small index (data/explorer/index.json: the vocabularies and, for each month with events, its
// count, first day and the last day its events reach), then the files of the months whose
// events touch the window (data/explorer/<YYYY-MM>.json), each fetched once. A redraw reuses
// the rows, marks and list rows already made for an event.
//
// Record text goes into the page as text only (dom.js's el: textContent, properties).
//
// For tests: window.briefingExplorer.state() gives {count, drawn, listed, mapped, unit, from,
// to, event}: the caption's count, the events drawn on the timeline (a group counts its
// members), the list's rows and the map's markers; the box gets data-ready="true" after each
// drawing.
import { el, onEveryPage } from "../dom.js";
import { toCsv, toJson } from "./explorer-csv.js";
import { dayOf, isoOf, layout, ROWS, ticks } from "./explorer-time.js";

const FILTERS = [
  ["type", "Type"],
  ["status", "Status"],
  ["actor", "Actor"],
  ["tag", "Tag"],
  ["country", "Country"],
];
const PAGE = 500; // rows of the list shown at a time
const WHOLE = 2000; // up to this many events, the first view shows them all
const OPENING = 300; // else it shows about this many of the latest
const ROW = 34; // px, one row of the timeline (--bx-row in explorer.css)

let box = null;

async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

// -- the data ---------------------------------------------------------------------------------

function model(root, index) {
  const periods = index.periods.map(([key, start, count, first, reach]) => ({
    key,
    start,
    count,
    first,
    reach,
  }));
  const lastPeriod = periods[periods.length - 1];
  return {
    root,
    index,
    periods,
    n: lastPeriod ? lastPeriod.start + lastPeriod.count : 0,
    files: new Map(), // period key -> its file, once loaded
    loading: new Map(), // period key -> Promise of its file
    ids: new Map(), // event id -> number, for the periods loaded
    first: periods.length ? periods[0].first : 0,
    last: periods.reduce((a, p) => Math.max(a, p.reach), 0),
  };
}

/** The periods (months) whose events may touch days `from`…`to`. */
function periodsFor(data, from, to) {
  return data.periods.filter((p) => p.first <= to && p.reach >= from);
}

function loadPeriod(data, period) {
  if (!data.loading.has(period.key)) {
    data.loading.set(
      period.key,
      getJson(`${data.root}data/explorer/${period.key}.json`).then((file) => {
        for (const [k, id] of file.id.entries()) data.ids.set(id, file.start + k);
        data.files.set(period.key, file);
        return file;
      }),
    );
  }
  return data.loading.get(period.key);
}

function loadPeriods(data, periods) {
  return Promise.all(periods.map((p) => loadPeriod(data, p)));
}

/** The window a link without one opens: every event, or on a large site the latest ones, up
 * to a year back and at most OPENING of them (the files of a month or two, not of every
 * period, on the first view, and titled marks). Worked out once, at the start. */
async function opening(data) {
  if (data.n <= WHOLE) {
    data.opening = [data.first, data.last];
    return;
  }
  const tail = [];
  let count = 0;
  for (let k = data.periods.length - 1; k >= 0 && count < OPENING; k -= 1) {
    const p = data.periods[k];
    if (p.reach < data.last - 364 && count) break;
    tail.push(p);
    count += p.count;
  }
  const files = await loadPeriods(data, tail);
  const firsts = files.flatMap((f) => f.first).sort((a, b) => a - b);
  const latest = firsts.slice(-OPENING);
  const from = Math.max(data.last - 364, latest[0] + (firsts.length > OPENING ? 1 : 0));
  data.opening = [Math.min(from, data.last - 6), data.last];
}

/** An event's row, made once and kept (the list's and the card's, and the marks' keys). */
function rowOf(view, where) {
  const i = where[0].start + where[1];
  let r = view.made.get(i);
  if (!r) {
    r = row(view.data, where);
    view.made.set(i, r);
  }
  return r;
}

function row(data, where) {
  const { index } = data;
  const [file, k] = where;
  const i = file.start + k;
  const type = index.types[file.type[k]];
  const status = index.statuses[file.status[k]];
  const country = file.country[k];
  const confidence = index.confidence.find(([id]) => id === file.confidence[k]);
  const first = file.first[k];
  const days = file.days[k];
  return {
    i,
    id: file.id[k],
    title: file.title[k],
    date: file.date[k],
    first,
    days,
    firstDay: isoOf(index.origin, first),
    lastDay: isoOf(index.origin, first + days - 1),
    type: type[0],
    typeLabel: type[1],
    colour: type[2],
    status: status[0],
    statusLabel: status[1],
    confidence: file.confidence[k],
    confidenceLabel: confidence ? confidence[1] : "",
    place: file.place[k],
    country: country >= 0 ? index.countries[country] : "",
    point: file.point[k],
    summary: file.summary[k],
    actors: file.actor[k].map((a) => index.actors[a][0]),
    actorNames: file.actor[k].map((a) => index.actors[a][1]),
    tags: file.tag[k].map((t) => index.tags[t]),
    url: new URL(box.dataset.brief.replace("ID", encodeURIComponent(file.id[k])), document.baseURI)
      .href,
  };
}

// -- the state and the URL ----------------------------------------------------------------------

function readUrl(data) {
  const params = new URLSearchParams(window.location.search);
  const origin = data.index.origin;
  const list = (key) =>
    (params.getAll(key).join(",") || "")
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean);
  const from = dayOf(origin, params.get("from"));
  const to = dayOf(origin, params.get("to"), true);
  const [first, last] = data.opening;
  const state = {
    from: from ?? first,
    to: to ?? last,
    event: params.get("event") || "",
    centre: from === null && to === null && Boolean(params.get("event")),
  };
  for (const [key] of FILTERS) state[key] = list(key);
  if (state.to < state.from) [state.from, state.to] = [state.to, state.from];
  return state;
}

function writeUrl(data, state, replace = false) {
  const params = new URLSearchParams();
  const origin = data.index.origin;
  const [first, last] = data.opening;
  if (state.from !== first || state.to !== last) {
    params.set("from", isoOf(origin, state.from));
    params.set("to", isoOf(origin, state.to));
  }
  for (const [key] of FILTERS) if (state[key].length) params.set(key, state[key].join(","));
  if (state.event) params.set("event", state.event);
  const query = params.toString();
  const url = `${window.location.pathname}${query ? `?${query}` : ""}`;
  if (url === `${window.location.pathname}${window.location.search}`) return;
  if (replace) window.history.replaceState(null, "", url);
  else window.history.pushState(null, "", url);
}

/** The events in the window that pass the filters, as [file, k] pairs in order of first day,
 * from the periods' files (loaded: `render` awaits them first). */
function matches(data, state) {
  const { index } = data;
  const want = {};
  for (const [key] of FILTERS) want[key] = new Set(state[key]);
  const typeIds = index.types.map((t) => t[0]);
  const statusIds = index.statuses.map((s) => s[0]);
  const out = [];
  for (const period of periodsFor(data, state.from, state.to)) {
    const file = data.files.get(period.key);
    for (let k = 0; k < file.id.length; k += 1) {
      const first = file.first[k];
      if (first > state.to || first + file.days[k] - 1 < state.from) continue;
      if (want.type.size && !want.type.has(typeIds[file.type[k]])) continue;
      if (want.status.size && !want.status.has(statusIds[file.status[k]])) continue;
      if (want.actor.size && !file.actor[k].some((a) => want.actor.has(index.actors[a][0]))) {
        continue;
      }
      if (want.tag.size && !file.tag[k].some((t) => want.tag.has(index.tags[t]))) continue;
      if (want.country.size && !want.country.has(index.countries[file.country[k]])) continue;
      out.push([file, k]);
    }
  }
  return out;
}

// -- drawing ---------------------------------------------------------------------------------

function drawAxis(view, state) {
  const axis = box.querySelector(".bx-axis");
  const width = view.width;
  const { unit, ticks: marks } = ticks(view.data.index.origin, state.from, state.to, width);
  axis.dataset.unit = unit;
  axis.replaceChildren(
    ...marks.map((t) => {
      const tick = el("span", { className: "bx-tick", textContent: t.label });
      tick.style.left = `${t.x}px`;
      return tick;
    }),
  );
  return unit;
}

function newMark(view, r, labelled) {
  const button = el(
    "button",
    {
      type: "button",
      className: `bx-mark chart-type-${r.colour}${labelled ? "" : " bx-mark--bare"}`,
      dataset: { id: r.id, n: String(r.i) },
      "aria-label": `${r.title}, ${r.date}, ${r.typeLabel}`,
      "aria-pressed": "false",
    },
    el("span", { className: "bx-bar" }),
    labelled ? el("span", { className: "bx-label", textContent: r.title }) : "",
  );
  button.title = `${r.title} (${r.date})`;
  button.addEventListener("click", () => choose(view, r.i));
  button.addEventListener("focus", () => showCard(view, r.i));
  return button;
}

/** An event's mark, made once (labelled or bare) and placed again on each redraw. */
function markButton(view, mark, r) {
  const key = `${r.i}${mark.label ? "L" : "B"}`;
  let button = view.marks.get(key);
  if (!button) {
    button = newMark(view, r, mark.label);
    view.marks.set(key, button);
  }
  const chosen = view.state.event === r.id;
  button.classList.toggle("bx-chosen", chosen);
  button.setAttribute("aria-pressed", chosen ? "true" : "false");
  button.style.left = `${mark.x}px`;
  button.style.top = `${mark.row * ROW}px`;
  button.style.width = `${mark.width}px`;
  const bar = button.firstChild;
  bar.style.width = mark.bar ? `${mark.bar}px` : "";
  bar.classList.toggle("bx-bar--day", !mark.bar);
  return button;
}

function groupButton(view, group) {
  const { index } = view.data;
  const members = group.members.map((i) => view.byNumber.get(i));
  const firsts = members.map((r) => r.first);
  const lasts = members.map((r) => r.first + r.days - 1);
  const from = firsts.reduce((a, b) => Math.min(a, b));
  const to = lasts.reduce((a, b) => Math.max(a, b));
  const origin = index.origin;
  const n = group.members.length;
  const button = el(
    "button",
    {
      type: "button",
      className: "bx-group",
      dataset: { count: String(n) },
      "aria-label": `${n} events from ${isoOf(origin, from)} to ${isoOf(origin, to)}: zoom in on them`,
    },
    String(n),
  );
  button.style.left = `${group.x}px`;
  button.style.top = `${ROWS * ROW}px`;
  button.addEventListener("click", () => {
    const pad = Math.max(1, Math.round((to - from) / 10));
    go(view, { from: from - pad, to: to + pad });
  });
  return button;
}

function drawTimeline(view, rows) {
  const { state } = view;
  const lanes = box.querySelector(".bx-lanes");
  view.width = lanes.clientWidth || 600;
  const unit = drawAxis(view, state);
  if (view.byNumberOf !== rows) {
    view.byNumber = new Map(rows.map((r) => [r.i, r]));
    view.byNumberOf = rows;
  }
  const { byNumber } = view;
  const chosen = rows.find((r) => r.id === state.event);
  const keep = chosen ? chosen.i : -1;
  const { marks, groups } = layout(rows, state.from, state.to, view.width, ROWS, keep);
  lanes.replaceChildren(
    ...marks.map((m) => markButton(view, m, byNumber.get(m.i))),
    ...groups.map((g) => groupButton(view, g)),
  );
  view.drawn = marks.length + groups.reduce((sum, g) => sum + g.members.length, 0);
  view.unit = unit;
}

const COLUMNS = [
  ["date", "Date", (r) => r.first, (r) => r.date],
  ["title", "Title", (r) => r.title.toLowerCase(), null],
  ["type", "Type", (r) => r.typeLabel, (r) => r.typeLabel],
  ["status", "Status", (r) => r.statusLabel, (r) => r.statusLabel],
  ["confidence", "Confidence", (r) => r.confidenceLabel, (r) => r.confidenceLabel],
  ["place", "Place", (r) => r.place, (r) => r.place],
  ["actors", "Actors", (r) => r.actorNames.join(", "), (r) => r.actorNames.join(", ")],
];

function sorted(view, rows) {
  const [key, direction] = view.sort;
  const column = COLUMNS.find(([k]) => k === key) || COLUMNS[0];
  const get = column[2];
  const sign = direction === "descending" ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = get(a);
    const y = get(b);
    const by = typeof x === "number" ? x - y : String(x).localeCompare(String(y));
    return sign * (by || a.first - b.first || a.i - b.i);
  });
}

function drawHead(view) {
  const head = box.querySelector(".bx-table thead tr");
  head.replaceChildren(
    ...COLUMNS.map(([key, label]) => {
      const sortedBy = view.sort[0] === key;
      const button = el("button", { type: "button", className: "bx-sort" }, label);
      button.addEventListener("click", () => {
        const down = sortedBy && view.sort[1] === "ascending";
        view.sort = [key, down ? "descending" : "ascending"];
        drawHead(view);
        drawList(view, view.rows);
      });
      return el("th", { scope: "col", "aria-sort": sortedBy ? view.sort[1] : "none" }, button);
    }),
  );
}

/** An event's row of the list, made once. */
function listRow(view, r) {
  let tr = view.listRows.get(r.i);
  if (!tr) {
    tr = newListRow(view, r);
    view.listRows.set(r.i, tr);
  }
  tr.classList.toggle("bx-chosen", view.state.event === r.id);
  return tr;
}

function newListRow(view, r) {
  const cells = COLUMNS.map(([key, , , text]) => {
    if (key === "title") {
      const pick = el("button", {
        type: "button",
        className: "bx-pick",
        textContent: r.title,
        dataset: { id: r.id },
      });
      pick.addEventListener("click", () => choose(view, r.i));
      pick.addEventListener("focus", () => showCard(view, r.i));
      return el("td", {}, pick);
    }
    return el("td", { textContent: text(r) });
  });
  return el("tr", { dataset: { id: r.id } }, ...cells);
}

function drawList(view, rows, more = false) {
  const body = box.querySelector(".bx-table tbody");
  const list = sorted(view, rows);
  view.shown = more ? view.shown + PAGE : PAGE;
  body.replaceChildren(...list.slice(0, view.shown).map((r) => listRow(view, r)));
  const button = box.querySelector(".bx-more");
  const rest = list.length - Math.min(view.shown, list.length);
  button.hidden = rest <= 0;
  button.textContent = `Show ${Math.min(rest, PAGE)} more of ${rest}`;
  view.listed = list.length;
}

function caption(view, count) {
  const { index } = view.data;
  const { state } = view;
  const filtered = FILTERS.some(([key]) => state[key].length);
  const from = isoOf(index.origin, state.from);
  const to = isoOf(index.origin, state.to);
  const text = `${count} ${count === 1 ? "event" : "events"}${filtered ? " matching the filters" : ""} from ${from} to ${to}`;
  box.querySelector(".bx-caption").textContent = text;
  box.querySelector(".bx-table-caption").textContent = text;
}

// -- the card ----------------------------------------------------------------------------------

function showCard(view, i) {
  const r = view.rows.find((x) => x.i === i);
  const card = box.querySelector(".bx-card");
  if (!r) {
    card.hidden = true;
    card.replaceChildren();
    return;
  }
  const facts = [r.date, r.typeLabel, r.statusLabel];
  if (r.place) facts.push(r.place);
  card.replaceChildren(
    el("h2", { className: "bx-card-title" }, el("a", { href: r.url, textContent: r.title })),
    el("p", { className: "bx-card-facts", textContent: facts.join(" · ") }),
    el("p", { className: "bx-card-summary", textContent: r.summary }),
    el("p", {}, el("a", { href: r.url, textContent: "Read the brief" })),
  );
  card.dataset.id = r.id;
  card.hidden = false;
}

function choose(view, i) {
  const r = view.rows.find((x) => x.i === i);
  if (!r) return;
  view.state = { ...view.state, event: r.id };
  writeUrl(view.data, view.state);
  // Drawn again: the event chosen always gets a mark of its own (a group may have held it).
  const focused = document.activeElement?.closest(".bx-lanes") ? r.id : "";
  drawTimeline(view, view.rows);
  markChosen(view);
  if (focused) box.querySelector(`.bx-mark[data-id="${CSS.escape(focused)}"]`)?.focus();
}

function markChosen(view) {
  const id = view.state.event;
  for (const node of box.querySelectorAll(".bx-chosen")) node.classList.remove("bx-chosen");
  for (const node of box.querySelectorAll(".bx-mark[aria-pressed=true]")) {
    node.setAttribute("aria-pressed", "false");
  }
  const r = view.rows.find((x) => x.id === id);
  if (!r) {
    showCard(view, -1);
    return;
  }
  for (const node of box.querySelectorAll(`[data-id="${CSS.escape(id)}"]`)) {
    if (node.matches(".bx-mark")) node.setAttribute("aria-pressed", "true");
    (node.closest("tr") || node).classList.add("bx-chosen");
  }
  showCard(view, r.i);
  view.map?.select(r.i);
}

// -- one view, drawn ---------------------------------------------------------------------------

async function render(view) {
  const token = (view.token || 0) + 1;
  view.token = token;
  box.dataset.ready = "false";
  const { data, state } = view;
  await loadPeriods(data, periodsFor(data, state.from, state.to));
  if (view.token !== token) return; // a newer view is on its way
  view.rows = matches(data, state).map((where) => rowOf(view, where));
  drawTimeline(view, view.rows);
  drawList(view, view.rows);
  caption(view, view.rows.length);
  syncForm(view);
  view.mapped = view.map ? view.map.show(view.rows) : 0;
  markChosen(view);
  box.dataset.ready = "true";
}

/** A new window or filters, from a reader's action: a history entry, then the drawing. */
function go(view, change, replace = false) {
  const next = { ...view.state, ...change };
  next.from = Math.round(next.from);
  next.to = Math.max(next.from, Math.round(next.to));
  view.state = next;
  writeUrl(view.data, next, replace);
  return render(view);
}

function zoom(view, factor, at = 0.5) {
  const { from, to } = view.state;
  const span = to - from + 1;
  const next = Math.min(
    Math.max(1, Math.round(span * factor)),
    view.data.last - view.data.first + 3650,
  );
  const pivot = from + span * at;
  return { from: pivot - next * at, to: pivot - next * at + next - 1 };
}

function pan(view, share) {
  const { from, to } = view.state;
  const by = Math.round((to - from + 1) * share) || Math.sign(share);
  return { from: from + by, to: to + by };
}

function tools(view) {
  const acts = {
    in: () => go(view, zoom(view, 0.5)),
    out: () => go(view, zoom(view, 2)),
    earlier: () => go(view, pan(view, -0.5)),
    later: () => go(view, pan(view, 0.5)),
    all: () => go(view, { from: view.data.first, to: view.data.last }),
  };
  for (const button of box.querySelectorAll(".bx-tools [data-act]")) {
    button.addEventListener("click", () => acts[button.dataset.act]());
  }
}

// Wheel: zoom about the pointer. Drag: pan; with Shift, choose a range (a brush). The URL is
// replaced while the gesture lasts, after one entry pushed at its start.
function gestures(view) {
  const area = box.querySelector(".bx-tl");
  let last = 0;
  area.addEventListener(
    "wheel",
    (event) => {
      event.preventDefault();
      const rect = area.getBoundingClientRect();
      const at = Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width));
      const now = Date.now();
      go(view, zoom(view, event.deltaY > 0 ? 1.25 : 0.8, at), now - last < 600);
      last = now;
    },
    { passive: false },
  );
  let drag = null;
  area.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 || event.target.closest("button")) return;
    drag = { x: event.clientX, state: view.state, brush: event.shiftKey, moved: false };
    area.setPointerCapture(event.pointerId);
  });
  area.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const dx = event.clientX - drag.x;
    if (Math.abs(dx) < 4 && !drag.moved) return;
    const perDay = view.width / (drag.state.to - drag.state.from + 1);
    if (drag.brush) {
      drawBrush(area, drag.x, event.clientX);
    } else {
      const days = Math.round(dx / perDay);
      go(view, { from: drag.state.from - days, to: drag.state.to - days }, drag.moved);
    }
    drag.moved = true;
  });
  const end = (event) => {
    if (!drag) return;
    const { brush, moved, x, state } = drag;
    drag = null;
    if (!brush || !moved) return;
    box.querySelector(".bx-brush")?.remove();
    const rect = area.getBoundingClientRect();
    const perDay = view.width / (state.to - state.from + 1);
    const a = (Math.min(x, event.clientX) - rect.left) / perDay;
    const b = (Math.max(x, event.clientX) - rect.left) / perDay;
    go(view, { from: state.from + Math.floor(a), to: state.from + Math.ceil(b) });
  };
  area.addEventListener("pointerup", end);
  area.addEventListener("pointercancel", () => {
    drag = null;
  });
}

function drawBrush(area, x0, x1) {
  let brush = area.querySelector(".bx-brush");
  if (!brush) {
    brush = el("div", { className: "bx-brush" });
    area.append(brush);
  }
  const rect = area.getBoundingClientRect();
  brush.style.left = `${Math.min(x0, x1) - rect.left}px`;
  brush.style.width = `${Math.abs(x1 - x0)}px`;
}

// -- the filters ---------------------------------------------------------------------------------

/** A filter's options, [id, label] by label: the site's vocabulary (the index lists only what
 * the events use, so the choices need no event loaded). */
function choices(data, key) {
  const { index } = data;
  const pairs =
    key === "type"
      ? index.types.map(([id, label]) => [id, label])
      : key === "status"
        ? index.statuses
        : key === "actor"
          ? index.actors
          : (key === "tag" ? index.tags : index.countries).map((id) => [id, id]);
  return [...pairs].sort((a, b) => a[1].localeCompare(b[1]));
}

function filters(view) {
  const form = box.querySelector(".bx-filters");
  for (const [key, label] of FILTERS) {
    const select = el(
      "select",
      { name: key },
      el("option", { value: "", textContent: "All" }),
      ...choices(view.data, key).map(([value, text]) => el("option", { value, textContent: text })),
    );
    select.addEventListener("change", () =>
      go(view, { [key]: select.value ? [select.value] : [] }),
    );
    form.append(el("label", { className: "bx-field" }, `${label} `, select));
  }
  const reset = el("button", {
    type: "button",
    className: "bx-reset",
    textContent: "Clear filters",
  });
  reset.addEventListener("click", () =>
    go(view, Object.fromEntries(FILTERS.map(([key]) => [key, []]))),
  );
  form.append(reset);
  for (const name of ["from", "to"]) {
    const input = form.elements[name];
    input.addEventListener("change", () => {
      const day = dayOf(view.data.index.origin, input.value, name === "to");
      if (day !== null) go(view, { [name]: day });
    });
  }
  form.addEventListener("submit", (event) => event.preventDefault());
}

function syncForm(view) {
  const form = box.querySelector(".bx-filters");
  const { state } = view;
  for (const [key] of FILTERS) {
    const select = form.elements[key];
    const value = state[key].length === 1 ? state[key][0] : "";
    if (value && ![...select.options].some((o) => o.value === value)) {
      select.append(el("option", { value, textContent: value }));
    }
    select.value = value;
  }
  form.elements.from.value = isoOf(view.data.index.origin, state.from);
  form.elements.to.value = isoOf(view.data.index.origin, state.to);
}

// -- downloads -----------------------------------------------------------------------------------

function downloads(view) {
  for (const button of box.querySelectorAll("[data-download]")) {
    button.addEventListener("click", () => {
      const csv = button.dataset.download === "csv";
      const rows = sorted(view, view.rows);
      const text = csv ? toCsv(rows) : toJson(rows);
      const blob = new Blob([text], { type: csv ? "text/csv" : "application/json" });
      const { origin } = view.data.index;
      const name = `events-${isoOf(origin, view.state.from)}-${isoOf(origin, view.state.to)}`;
      const link = el("a", {
        href: URL.createObjectURL(blob),
        download: `${name}.${csv ? "csv" : "json"}`,
      });
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    });
  }
  box.querySelector(".bx-more").addEventListener("click", () => drawList(view, view.rows, true));
}

// -- start ---------------------------------------------------------------------------------------

/** The period an event id names by its date ("2024-06-26-…"), if it names one. */
function guessPeriod(data, id) {
  const m = /^(\d{4}-\d{2})/.exec(id);
  return m ? data.periods.find((p) => p.key === m[1]) : undefined;
}

/** The first view of a link naming an event alone: the window around it. */
async function centre(view) {
  const { data, state } = view;
  const guess = guessPeriod(data, state.event);
  if (guess) await loadPeriod(data, guess);
  if (!data.ids.has(state.event)) await loadPeriods(data, data.periods);
  const i = data.ids.get(state.event);
  if (i === undefined) return;
  const period = data.periods.find((p) => p.start <= i && i < p.start + p.count);
  const file = data.files.get(period.key);
  const first = file.first[i - file.start];
  const days = file.days[i - file.start];
  const span = Math.max(60, days * 3);
  state.from = Math.round(first + days / 2 - span / 2);
  state.to = state.from + span - 1;
  writeUrl(data, state, true);
}

async function start(node) {
  box = node;
  const root = node.dataset.root;
  const index = await getJson(`${root}data/explorer/index.json`);
  const data = model(root, index);
  await opening(data);
  const view = {
    data,
    state: readUrl(data),
    rows: [],
    made: new Map(), // event number -> its row, made once
    marks: new Map(), // event number and "L" (labelled) or "B" (bare) -> its mark
    listRows: new Map(), // event number -> its row of the list
    sort: ["date", "ascending"],
    map: null,
  };
  if (view.state.centre) await centre(view);
  node.hidden = false;
  filters(view);
  tools(view);
  gestures(view);
  drawHead(view);
  downloads(view);
  window.addEventListener("popstate", () => {
    view.state = readUrl(data);
    render(view);
  });
  new ResizeObserver(() => {
    if (
      view.rows.length &&
      Math.abs((box.querySelector(".bx-lanes").clientWidth || 0) - view.width) > 1
    ) {
      drawTimeline(view, view.rows);
      markChosen(view);
    }
  }).observe(box.querySelector(".bx-lanes"));
  Object.defineProperty(window, "briefingExplorer", {
    value: Object.freeze({
      state: () => ({
        count: view.rows.length,
        drawn: view.drawn,
        listed: view.listed,
        mapped: view.mapped,
        located: view.rows.filter((r) => r.point).length,
        unit: view.unit,
        from: isoOf(index.origin, view.state.from),
        to: isoOf(index.origin, view.state.to),
        event: view.state.event,
      }),
    }),
  });
  const mapBox = box.querySelector(".bx-map");
  import("./explorer-map.js")
    .then((m) => m.createMap(mapBox, (i) => choose(view, i)))
    .then((map) => {
      view.map = map;
      view.mapped = map.show(view.rows);
      markChosen(view);
      mapBox.dataset.ready = "true";
    })
    .catch((error) => {
      box.querySelector(".bx-map-note").textContent =
        `The map could not be loaded (${error.message}).`;
    });
  await render(view);
}

function init() {
  const node = document.querySelector("[data-explorer]");
  if (!node || node.dataset.started) return;
  node.dataset.started = "true";
  start(node).catch((error) => {
    node.hidden = false;
    node.querySelector(".bx-caption").textContent =
      `The explorer could not be loaded (${error.message}).`;
    window.console?.error(error);
  });
}

onEveryPage(init);
