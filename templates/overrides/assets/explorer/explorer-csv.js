// The explorer's downloads, made in the browser from the data it has loaded: the events of the
// current selection as CSV and as JSON. A CSV cell is neutralised as the site's events.csv
// neutralises it (generator/publish/exports.py, csv_cell): a value whose first character after
// any leading apostrophes would make a spreadsheet read a formula gets one more apostrophe in
// front. tests/test_explorer_browser.py checks both give the same cells.

/** First characters that make a spreadsheet read a cell as a formula (exports.CSV_TRIGGERS). */
export const CSV_TRIGGERS = ["=", "+", "-", "@", "\t", "\r"];

/**
 * `value` made inert for spreadsheets, as exports.csv_cell does it.
 *
 * @param {string} value
 * @returns {string}
 */
export function csvCell(value) {
  const text = String(value);
  const first = text.replace(/^'+/, "").charAt(0);
  return text && CSV_TRIGGERS.includes(first) ? `'${text}` : text;
}

/**
 * One CSV line as Python's csv writer writes it (quotes only where needed, "\n" at the end).
 *
 * @param {string[]} cells
 * @returns {string}
 */
export function csvLine(cells) {
  const quoted = cells.map((cell) =>
    /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell,
  );
  if (quoted.length === 1 && quoted[0] === "") return '""\n';
  return `${quoted.join(",")}\n`;
}

/** The columns of a download: [name, how to read it from a row]. */
export const COLUMNS = [
  ["id", (r) => r.id],
  ["date", (r) => r.date],
  ["first_day", (r) => r.firstDay],
  ["last_day", (r) => r.lastDay],
  ["title", (r) => r.title],
  ["type", (r) => r.type],
  ["status", (r) => r.status],
  ["confidence", (r) => r.confidence],
  ["place", (r) => r.place],
  ["country", (r) => r.country],
  ["lat", (r) => (r.point ? String(r.point[0]) : "")],
  ["lon", (r) => (r.point ? String(r.point[1]) : "")],
  ["actors", (r) => r.actors.join("; ")],
  ["tags", (r) => r.tags.join("; ")],
  ["summary", (r) => r.summary],
  ["url", (r) => r.url],
];

/**
 * The rows as CSV: a header, then one neutralised line a row.
 *
 * @param {object[]} rows
 * @returns {string}
 */
export function toCsv(rows) {
  const lines = [csvLine(COLUMNS.map(([name]) => name))];
  for (const row of rows) lines.push(csvLine(COLUMNS.map(([, get]) => csvCell(get(row) ?? ""))));
  return lines.join("");
}

/**
 * The rows as JSON: a list of objects with the CSV's columns (the values as they are: JSON
 * is no spreadsheet).
 *
 * @param {object[]} rows
 * @returns {string}
 */
export function toJson(rows) {
  const objects = rows.map((row) => {
    const out = Object.fromEntries(COLUMNS.map(([name, get]) => [name, get(row) ?? ""]));
    out.lat = row.point ? row.point[0] : null;
    out.lon = row.point ? row.point[1] : null;
    out.actors = row.actors;
    out.tags = row.tags;
    return out;
  });
  return `${JSON.stringify(objects, null, 1)}\n`;
}
