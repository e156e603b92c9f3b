// The visual timeline on /timeline/: zoom, pan and filter the build-time overview (an SVG that
// reads without JavaScript) over data/timeline/index.json (numbers only: days, type, status,
// actors, tags) and, zoomed in, data/timeline/<year>.json (ids, titles, dates). Zoomed out it
// draws counts per bin in each lane; zoomed in, each event as a link to its brief: a dot for a
// day, a bar for a longer date (a month-only event spans its month). The view and the filters
// live in the URL (?at=YYYY-MM-DD&span=DAYS&type=…&actor=…&tag=…&status=…).
// Keyboard: the chart takes focus; + and - zoom, the arrow keys pan, Home shows everything;
// Tab reaches each event. Record text is set with textContent only (dom.js).
import { el, svg } from "./dom.js";

const DAY = 86_400_000;
const FIELDS = [
  ["type", "Type"],
  ["actor", "Actor"],
  ["tag", "Tag"],
  ["status", "Status"],
];
const MARKS_MAX = 300; // more events in view than this: counts, not single events
const BINS = 80;
// Screens where the build's 1000-unit drawing, scaled to its frame, would shrink its 11 px labels
// out of reading (phones: the media query of briefing.css): there the lanes are drawn at the
// frame's width instead.
const NARROW = window.matchMedia("(max-width: 44em)");

function dayOf(origin, iso) {
  return Math.round((Date.parse(`${iso}T00:00:00Z`) - origin) / DAY);
}

function isoOf(origin, day) {
  return new Date(origin + day * DAY).toISOString().slice(0, 10);
}

class Timeline {
  constructor(figure, index) {
    this.figure = figure;
    this.svg = figure.querySelector("svg");
    this.frame = this.svg.parentElement;
    this.index = index;
    this.root = figure.dataset.root;
    this.origin = Date.parse(`${index.origin}T00:00:00Z`);
    this.left = Number(this.svg.dataset.left);
    this.right = Number(this.svg.dataset.right);
    this.width = Number(this.svg.viewBox.baseVal.width); // the build's
    this.margin = this.width - this.right;
    this.lane = Number(this.svg.dataset.lane);
    this.min = dayOf(this.origin, figure.dataset.first);
    this.max = dayOf(this.origin, figure.dataset.last) + 1;
    this.years = new Map();
    this.chosen = { type: "", actor: "", tag: "", status: "" };
    this.lanes = [...new Set(index.type)].sort((a, b) => a - b);
    this.view = [this.min, this.max];
    this.drawn = 0;
  }

  // -- state in the URL ------------------------------------------------------------------------

  read() {
    const params = new URLSearchParams(window.location.search);
    for (const [key] of FIELDS) this.chosen[key] = params.get(key) || "";
    const at = params.get("at");
    const span = Number(params.get("span")) || (at ? 92 : this.max - this.min);
    const centre = at ? dayOf(this.origin, at) : (this.min + this.max) / 2;
    this.setView(centre - span / 2, centre + span / 2);
    for (const [key] of FIELDS) {
      const select = this.form?.elements[key];
      if (select) select.value = this.chosen[key];
    }
  }

  write(push) {
    const params = new URLSearchParams();
    const [a, b] = this.view;
    if (a > this.min || b < this.max) {
      params.set("at", isoOf(this.origin, Math.floor((a + b) / 2)));
      params.set("span", String(Math.round(b - a)));
    }
    for (const [key] of FIELDS) if (this.chosen[key]) params.set(key, this.chosen[key]);
    const query = params.toString();
    const url = `${window.location.pathname}${query ? `?${query}` : ""}${window.location.hash}`;
    if (push) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  }

  // -- the view ----------------------------------------------------------------------------

  setView(a, b) {
    const span = Math.min(Math.max(b - a, 14), this.max - this.min);
    let start = Math.max(this.min, Math.min(a, this.max - span));
    if (!Number.isFinite(start)) start = this.min;
    this.view = [start, start + span];
  }

  zoom(factor, at) {
    const [a, b] = this.view;
    const centre = at ?? (a + b) / 2;
    this.setView(centre - (centre - a) * factor, centre + (b - centre) * factor);
    this.changed();
  }

  pan(fraction) {
    const [a, b] = this.view;
    const shift = (b - a) * fraction;
    this.setView(a + shift, b + shift);
    this.changed();
  }

  changed(push = false) {
    this.write(push);
    this.draw();
  }

  x(day) {
    const [a, b] = this.view;
    return this.left + ((this.right - this.left) * (day - a)) / (b - a);
  }

  dayAt(clientX) {
    const box = this.svg.getBoundingClientRect();
    const x = ((clientX - box.left) / box.width) * Number(this.svg.viewBox.baseVal.width);
    const [a, b] = this.view;
    return a + ((x - this.left) / (this.right - this.left)) * (b - a);
  }

  // -- which events ------------------------------------------------------------------------

  lookup(key, value) {
    const list = {
      type: this.index.types,
      status: this.index.statuses,
      actor: this.index.actors,
      tag: this.index.tags.map((t) => [t]),
    }[key];
    return list.findIndex((item) => item[0] === value);
  }

  visible() {
    const { index } = this;
    const want = {};
    for (const [key] of FIELDS)
      want[key] = this.chosen[key] ? this.lookup(key, this.chosen[key]) : -1;
    const [a, b] = this.view;
    const found = [];
    for (let i = 0; i < index.first.length; i += 1) {
      const first = index.first[i];
      if (first >= b || first + index.days[i] <= a) continue;
      if (want.type >= 0 && index.type[i] !== want.type) continue;
      if (want.status >= 0 && index.status[i] !== want.status) continue;
      if (want.actor >= 0 && !index.actor[i].includes(want.actor)) continue;
      if (want.tag >= 0 && !index.tag[i].includes(want.tag)) continue;
      found.push(i);
    }
    return found;
  }

  yearsOf(found) {
    const wanted = new Set();
    for (const [year, [start, count]] of Object.entries(this.index.years)) {
      if (found.some((i) => i >= start && i < start + count)) wanted.add(year);
    }
    return [...wanted];
  }

  loadYear(year) {
    if (!this.years.has(year)) {
      const url = `${this.root}data/timeline/${year}.json`;
      this.years.set(
        year,
        fetch(url).then((r) => r.json()),
      );
    }
    return this.years.get(year);
  }

  async details(found) {
    const out = new Map();
    for (const year of this.yearsOf(found)) {
      const data = await this.loadYear(year);
      for (let k = 0; k < data.id.length; k += 1) {
        out.set(data.start + k, { id: data.id[k], title: data.title[k], date: data.date[k] });
      }
    }
    return out;
  }

  // -- drawing -----------------------------------------------------------------------------

  // The drawing's width in SVG units: the build's, scaled to the frame; on a narrow screen, the
  // frame's own, one unit a pixel, so that the lanes fit and their labels keep their size.
  widthFor() {
    const frame = this.frame.clientWidth;
    return NARROW.matches && frame > 0 ? frame : this.width;
  }

  async draw() {
    const ticket = ++this.drawn;
    const found = this.visible();
    const detailed = found.length <= MARKS_MAX && this.view[1] - this.view[0] <= 800;
    const details = detailed ? await this.details(found) : null;
    if (ticket !== this.drawn) return; // a later draw started meanwhile
    const width = this.widthFor();
    this.right = width - this.margin;
    const height = this.lanes.length * this.lane + 26;
    this.svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    const laneOf = new Map(this.lanes.map((t, n) => [t, n]));
    const groups = this.lanes.map((t, n) => this.laneGroup(t, n, width));
    if (details) this.drawMarks(found, details, groups, laneOf);
    else this.drawBars(found, groups, laneOf);
    const title = this.svg.querySelector("title");
    const [a, b] = this.view;
    title.textContent = `Events by type, ${isoOf(this.origin, Math.floor(a))} to ${isoOf(this.origin, Math.ceil(b) - 1)}`;
    this.svg.replaceChildren(title, ...groups, this.axis(height - 26));
    this.status.textContent =
      `${found.length} event${found.length === 1 ? "" : "s"} from ${isoOf(this.origin, Math.floor(a))} ` +
      `to ${isoOf(this.origin, Math.ceil(b) - 1)}${details ? "" : " (counts; zoom in for single events)"}`;
    this.figure.dataset.mode = details ? "marks" : "bars";
    this.figure.dataset.ready = "true";
  }

  laneGroup(type, n, width) {
    const [id, label] = this.index.types[type];
    const y = n * this.lane;
    return svg(
      "g",
      { class: "tl-lane", "data-type": id },
      svg("rect", { class: "tl-lane-bg", x: 0, y, width, height: this.lane }),
      svg("text", { class: "tl-label", x: 4, y: y + this.lane / 2 + 4 }, label),
    );
  }

  drawMarks(found, details, groups, laneOf) {
    const brief = this.figure.dataset.brief;
    for (const i of found) {
      const event = details.get(i);
      if (!event) continue;
      const n = laneOf.get(this.index.type[i]);
      const first = this.index.first[i];
      const days = this.index.days[i];
      const point = days === 1;
      const x0 = Math.max(this.left, this.x(first));
      const x1 = Math.min(this.right, this.x(first + days));
      const x = point ? this.x(first + 0.5) - 4 : x0;
      const w = point ? 8 : Math.max(3, x1 - x0);
      const colour = this.index.types[this.index.type[i]][2];
      const link = svg(
        "a",
        { class: "tl-mark", "xlink:href": brief.replace("ID", event.id), "data-id": event.id },
        svg("title", {}, `${event.date}: ${event.title}`),
        svg("rect", {
          class: `chart-type-${colour} ${point ? "tl-point" : "tl-span"}`,
          x: x.toFixed(1),
          y: n * this.lane + 5,
          width: w.toFixed(1),
          height: this.lane - 10,
          rx: point ? 4 : 1,
        }),
      );
      groups[n].append(link);
    }
  }

  drawBars(found, groups, laneOf) {
    const [a, b] = this.view;
    const size = (b - a) / BINS;
    const counts = this.lanes.map(() => new Array(BINS).fill(0));
    for (const i of found) {
      const bin = Math.min(BINS - 1, Math.max(0, Math.floor((this.index.first[i] - a) / size)));
      counts[laneOf.get(this.index.type[i])][bin] += 1;
    }
    const peak = Math.max(1, ...counts.flat());
    counts.forEach((row, n) => {
      const [, label, colour] = this.index.types[this.lanes[n]];
      row.forEach((count, bin) => {
        if (!count) return;
        const start = a + bin * size;
        const height = Math.max(2, ((this.lane - 4) * count) / peak);
        const from = isoOf(this.origin, Math.floor(start));
        const to = isoOf(this.origin, Math.ceil(start + size) - 1);
        groups[n].append(
          svg(
            "rect",
            {
              class: `chart-type-${colour} tl-bar`,
              x: this.x(start).toFixed(1),
              y: (n * this.lane + this.lane - 2 - height).toFixed(1),
              width: Math.max(1, this.x(start + size) - this.x(start) - 0.5).toFixed(1),
              height: height.toFixed(1),
              "data-from": start,
              "data-to": start + size,
            },
            svg("title", {}, `${from} to ${to}: ${count} × ${label}`),
          ),
        );
      });
    });
  }

  axis(y) {
    const [a, b] = this.view;
    const group = svg(
      "g",
      { class: "tl-axis" },
      svg("line", { x1: this.left, x2: this.right, y1: y, y2: y }),
    );
    // Ticks as far apart as on the build's width: a narrower plot counts as a longer span, up
    // to twice as long (more, and a phone's 200 px plot of 42 years had one label left).
    const narrower = (this.width - this.margin - this.left) / (this.right - this.left);
    const span = (b - a) * Math.min(narrower, 2);
    const start = new Date(this.origin + Math.floor(a) * DAY);
    const months = span > 1500 ? 12 * Math.ceil(span / 365 / 8) : span > 400 ? 3 : 1;
    let tick = Date.UTC(start.getUTCFullYear(), 0, 1);
    while (tick < this.origin + b * DAY) {
      const day = (tick - this.origin) / DAY;
      if (day >= a) {
        const date = new Date(tick);
        const label =
          date.getUTCMonth() === 0
            ? String(date.getUTCFullYear())
            : date.toLocaleString("en", { month: "short", timeZone: "UTC" });
        const x = this.x(day);
        group.append(svg("line", { x1: x, x2: x, y1: y, y2: y + 5 }));
        // A label only where it ends inside the drawing (11 px type: under 7 px a character).
        if (x + 2 + label.length * 7 <= this.right + this.margin) {
          group.append(svg("text", { x: x + 2, y: y + 18 }, label));
        }
      }
      const next = new Date(tick);
      next.setUTCMonth(next.getUTCMonth() + months);
      tick = next.getTime();
    }
    return group;
  }

  // -- controls ----------------------------------------------------------------------------

  controls() {
    const bar = this.figure.querySelector("[data-timeline-controls]");
    this.form = el("form", { className: "tl-filters", "aria-label": "Filter the timeline" });
    for (const [key, label] of FIELDS) this.form.append(this.select(key, label));
    const buttons = el("div", {
      className: "tl-buttons",
      role: "group",
      "aria-label": "Zoom and pan",
    });
    for (const [label, action] of [
      ["Zoom in", () => this.zoom(0.5)],
      ["Zoom out", () => this.zoom(2)],
      ["Earlier", () => this.pan(-0.5)],
      ["Later", () => this.pan(0.5)],
      [
        "Show all",
        () => {
          this.view = [this.min, this.max];
          this.changed();
        },
      ],
    ]) {
      const button = el("button", {
        type: "button",
        className: "tl-button",
        textContent: label,
      });
      button.addEventListener("click", action);
      buttons.append(button);
    }
    this.status = el("p", { className: "tl-status", role: "status" });
    bar.append(this.form, buttons, this.status);
    bar.hidden = false;
  }

  select(key, label) {
    const { index } = this;
    let options;
    if (key === "type") options = this.lanes.map((t) => index.types[t]);
    else if (key === "status") options = [...new Set(index.status)].map((s) => index.statuses[s]);
    else if (key === "actor") {
      const used = new Set(index.actor.flat());
      options = index.actors.filter((_, n) => used.has(n));
    } else options = index.tags.map((t) => [t, t]);
    options = [...options].sort((p, q) => p[1].localeCompare(q[1]));
    const select = el(
      "select",
      { name: key },
      el("option", { value: "", textContent: "All" }),
      ...options.map(([value, text]) => el("option", { value, textContent: text })),
    );
    select.value = this.chosen[key];
    select.addEventListener("change", () => {
      this.chosen[key] = select.value;
      this.changed(true);
    });
    return el("label", { className: "tl-field" }, `${label} `, select);
  }

  listen() {
    const chart = this.svg;
    chart.setAttribute("tabindex", "0");
    chart.setAttribute(
      "aria-description",
      "Plus and minus zoom, the arrow keys move earlier or later, Home shows everything; Tab moves to each event.",
    );
    chart.addEventListener("keydown", (event) => {
      if (event.target !== chart) return;
      const keys = {
        "+": () => this.zoom(0.5),
        "=": () => this.zoom(0.5),
        "-": () => this.zoom(2),
        ArrowLeft: () => this.pan(-0.25),
        ArrowRight: () => this.pan(0.25),
        Home: () => {
          this.view = [this.min, this.max];
          this.changed();
        },
      };
      if (!keys[event.key]) return;
      event.preventDefault();
      keys[event.key]();
    });
    chart.addEventListener(
      "wheel",
      (event) => {
        event.preventDefault();
        this.zoom(event.deltaY > 0 ? 1.25 : 0.8, this.dayAt(event.clientX));
      },
      { passive: false },
    );
    this.drag(chart);
    chart.addEventListener("click", (event) => {
      const bar = event.target.closest?.(".tl-bar");
      if (!bar) return;
      this.setView(Number(bar.dataset.from), Number(bar.dataset.to) + 14);
      this.changed();
    });
    new ResizeObserver(() => {
      if (this.widthFor() !== Number(this.svg.viewBox.baseVal.width)) this.draw();
    }).observe(this.frame);
    window.addEventListener("popstate", () => {
      if (!this.figure.isConnected) return;
      this.read();
      this.draw();
    });
  }

  drag(chart) {
    let from = null;
    let moved = false;
    chart.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      from = { x: event.clientX, view: this.view };
      moved = false;
    });
    chart.addEventListener("pointermove", (event) => {
      if (!from) return;
      const dx = event.clientX - from.x;
      if (!moved && Math.abs(dx) < 5) return;
      if (!moved) chart.setPointerCapture(event.pointerId);
      moved = true;
      const box = chart.getBoundingClientRect();
      const [a, b] = from.view;
      const days =
        ((dx / box.width) * Number(chart.viewBox.baseVal.width) * (b - a)) /
        (this.right - this.left);
      this.setView(a - days, b - days);
      this.draw();
    });
    const end = () => {
      if (from && moved) this.write(false);
      from = null;
    };
    chart.addEventListener("pointerup", end);
    chart.addEventListener("pointercancel", end);
    // A drag that ends on an event does not follow its link.
    chart.addEventListener(
      "click",
      (event) => {
        if (moved) {
          event.preventDefault();
          event.stopPropagation();
          moved = false;
        }
      },
      true,
    );
  }
}

/** Set up the timeline in ``figure`` (the build-time overview stays until the data is in). */
export async function start(figure) {
  if (figure.dataset.started) return;
  figure.dataset.started = "true";
  const response = await fetch(`${figure.dataset.root}data/timeline/index.json`);
  const timeline = new Timeline(figure, await response.json());
  timeline.controls();
  timeline.read();
  timeline.listen();
  await timeline.draw();
}
