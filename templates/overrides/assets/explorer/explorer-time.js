// The explorer's timeline, laid out: days to pixels, the axis's ticks for the zoom (years,
// months, weeks or days), and the marks, each on the first row where it and its label touch
// nothing, or grouped with a count where no row has room. Pure functions over numbers and
// titles; explorer.js draws what they return.

const DAY = 86400000;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Rows of labelled marks; one more row below them holds the groups. */
export const ROWS = 5;
/** Above this many events in the window, no labels: marks and groups only. */
export const LABELLED = 300;
/** The narrowest a mark is drawn, in px (a touch target). */
export const MARK = 24;
/** A group's slot in the group row, in px. */
export const SLOT = 36;

/** A day number (days since `origin`, a "YYYY-MM-DD" string) as a Date at midnight UTC. */
export function dateOf(origin, day) {
  return new Date(Date.parse(`${origin}T00:00:00Z`) + day * DAY);
}

/** "YYYY-MM-DD" of a day number. */
export function isoOf(origin, day) {
  return dateOf(origin, day).toISOString().slice(0, 10);
}

/**
 * The day number of an ISO or EDTF date ("2024", "2024-06", "2024-06-26"): its first day, or
 * with `last`, its last; null when it is none of these.
 */
export function dayOf(origin, text, last = false) {
  const m = /^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(String(text || "").trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) - 1 : last ? 11 : 0;
  let day = m[3] ? Number(m[3]) : 1;
  if (last && !m[3]) day = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const time = Date.UTC(year, month, day);
  if (Number.isNaN(time)) return null;
  return Math.round((time - Date.parse(`${origin}T00:00:00Z`)) / DAY);
}

function label(date, unit, first) {
  const y = date.getUTCFullYear();
  const mon = MONTHS[date.getUTCMonth()];
  if (unit === "year") return String(y);
  if (unit === "month") return first || date.getUTCMonth() === 0 ? `${mon} ${y}` : mon;
  return first || (date.getUTCDate() === 1 && date.getUTCMonth() === 0)
    ? `${date.getUTCDate()} ${mon} ${y}`
    : `${date.getUTCDate()} ${mon}`;
}

// [unit, step, px a label needs]
const STEPS = [
  ["day", 1, 52],
  ["day", 2, 52],
  ["week", 1, 52],
  ["week", 2, 52],
  ["month", 1, 64],
  ["month", 3, 64],
  ["month", 6, 64],
  ["year", 1, 44],
  ["year", 2, 44],
  ["year", 5, 44],
  ["year", 10, 44],
  ["year", 25, 44],
  ["year", 50, 44],
  ["year", 100, 44],
];

function starts(unit, step, from, to, origin) {
  const out = [];
  const a = dateOf(origin, from);
  const base = Date.parse(`${origin}T00:00:00Z`);
  if (unit === "day" || unit === "week") {
    for (let d = from; d <= to; d += 1) {
      const date = dateOf(origin, d);
      const n = Math.round((date.getTime() - base) / DAY);
      if (unit === "day" && n % step === 0) out.push(d);
      if (unit === "week" && date.getUTCDay() === 1 && Math.floor(n / 7) % step === 0) out.push(d);
    }
    return out;
  }
  let y = a.getUTCFullYear();
  let m = unit === "year" ? 0 : a.getUTCMonth();
  if (unit === "year") y = Math.ceil(y / step) * step;
  for (;;) {
    const day = Math.round((Date.UTC(y, m, 1) - base) / DAY);
    if (day > to) return out;
    if (day >= from && (unit === "year" || m % step === 0)) out.push(day);
    if (unit === "year") y += step;
    else if (m === 11) [y, m] = [y + 1, 0];
    else m += 1;
  }
}

/**
 * The axis for days `from`…`to` (both included) over `width` px: {unit, ticks: [{x, label}]},
 * the unit the finest of years, months, weeks and days whose labels fit.
 */
export function ticks(origin, from, to, width) {
  const perDay = width / (to - from + 1);
  const [unit, step] = STEPS.find(([u, s, room]) => {
    const days = u === "day" ? s : u === "week" ? 7 * s : u === "month" ? 30.4 * s : 365.25 * s;
    return days * perDay >= room;
  }) || ["year", 500];
  const days = starts(unit, step, from, to, origin);
  const out = days.map((d, n) => ({
    x: (d - from) * perDay,
    label: label(dateOf(origin, d), unit, n === 0),
  }));
  return { unit, ticks: out };
}

/** The room a labelled mark takes, in px. */
export function labelWidth(title) {
  return Math.min(240, 7 * title.length + 24);
}

/**
 * The marks of `events` ([{i, first, days, title}], by first day) between days `from` and `to`
 * over `width` px: {marks: [{i, x, width, bar, row, label}], groups: [{x, members: [i...]}]}.
 * A mark's `bar` is its time extent in px (a day: 0, drawn as a dot); its `width` is what it
 * takes with its label. The event numbered `keep` (the one chosen) is placed first, so it
 * always has a mark of its own. Every event is in exactly one mark or one group.
 */
export function layout(events, from, to, width, rows = ROWS, keep = -1) {
  const perDay = width / (to - from + 1);
  const labelled = events.length <= LABELLED;
  const taken = Array.from({ length: rows }, () => []); // each row's [start, end] in px
  const marks = [];
  const left = [];
  const free = (row, a, b) => taken[row].every(([x, y]) => b + 4 <= x || y + 4 <= a);
  const ordered = events.filter((e) => e.i === keep).concat(events.filter((e) => e.i !== keep));
  for (const e of ordered) {
    const start = Math.max(e.first, from);
    const end = Math.min(e.first + e.days, to + 1);
    const x = (start - from) * perDay;
    const bar = e.days === 1 ? 0 : Math.max(2, (end - start) * perDay);
    const room = Math.max(MARK, Math.min(Math.max(bar, labelWidth(e.title)), width - x));
    const mine = e.i === keep;
    const row = labelled || mine ? taken.findIndex((_, n) => free(n, x, x + room)) : -1;
    if (row >= 0) {
      taken[row].push([x, x + room]);
      marks.push({ i: e.i, x, width: room, bar, row, label: true });
    } else {
      left.push({ i: e.i, x, bar });
    }
  }
  const slots = new Map();
  for (const e of left) {
    const slot = Math.min(Math.floor(e.x / SLOT), Math.max(0, Math.floor((width - 1) / SLOT)));
    if (!slots.has(slot)) slots.set(slot, []);
    slots.get(slot).push(e);
  }
  const groups = [];
  for (const [slot, members] of slots) {
    if (members.length === 1) {
      const [e] = members;
      marks.push({ i: e.i, x: slot * SLOT, width: MARK, bar: 0, row: rows, label: false });
    } else groups.push({ x: slot * SLOT, members: members.map((e) => e.i) });
  }
  return { marks, groups };
}
