// The /search/ page: Pagefind's JavaScript API with facet checkboxes and result counts, an
// order (best match or newest first), and, when nothing is found, the indexed words closest to
// those typed and the ways in that need no words.
// Record text reaches the page only as text: through textContent, or (Pagefind's excerpt) as
// text nodes and <mark> elements built here (see excerptNodes), never through innerHTML.
import { el, onEveryPage } from "../dom.js";
import { loadPagefind, mergeParts, preloadTerm, warmPagefind } from "./load.js";

// Briefs have an event type, profiles an actor kind: two filters, never one list of both.
const FACETS = ["section", "type", "kind", "status", "year", "actor", "country", "tag"];
const LABELS = {
  section: "Section",
  type: "Event type",
  kind: "Actor kind",
  status: "Status",
  year: "Year",
  actor: "Actor",
  country: "Country",
  tag: "Tag",
};
const PAGE = 5; // results fetched and shown at a time (each is one small fragment file)
const NEWEST = "newest"; // ?sort=newest: Pagefind's date sort, newest first
const HUBS = [
  ["briefs/", "the latest briefs"],
  ["timeline/", "the timeline"],
  ["actors/", "the actors"],
  ["tags/", "the tags"],
  ["map/", "the map"],
];

/**
 * The edit distance between `a` and `b` (insertions, deletions, substitutions, and swaps of two
 * neighbouring letters, each 1), or `most + 1` as soon as it is known to be more than `most`.
 *
 * @param {string} a
 * @param {string} b
 * @param {number} most
 */
export function distance(a, b, most) {
  if (Math.abs(a.length - b.length) > most) return most + 1;
  let before = [];
  let last = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let least = i;
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(last[j] + 1, row[j - 1] + 1, last[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, before[j - 2] + 1);
      }
      row.push(d);
      least = Math.min(least, d);
    }
    if (least > most) return most + 1;
    before = last;
    last = row;
  }
  return last[b.length];
}

/**
 * Queries to suggest for `query`, which found nothing: each of its words that the site's word
 * list (`words`, most common first: generator/publish/words.py) does not hold is replaced by the
 * closest listed words (within 1 edit for a word of up to four letters, 2 for a longer one; the
 * more common first among the equally close). At most three; none when every word is listed.
 *
 * @param {string} query
 * @param {string[]} words
 * @returns {string[]}
 */
export function suggestions(query, words) {
  const known = new Set(words);
  const typed = query.toLowerCase().split(/\s+/).filter(Boolean);
  const options = typed.map((word) => {
    if (known.has(word) || word.length < 3) return [word];
    const most = word.length <= 4 ? 1 : 2;
    const found = [];
    for (const [rank, candidate] of words.entries()) {
      const d = distance(word, candidate, most);
      if (d <= most) found.push([d, rank, candidate]);
    }
    found.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    return found.length ? found.slice(0, 3).map((f) => f[2]) : [word];
  });
  const open = options.findIndex((list, n) => list[0] !== typed[n] || list.length > 1);
  if (open < 0) return [];
  const best = options.map((list) => list[0]);
  return options[open]
    .map((choice) => best.map((word, n) => (n === open ? choice : word)).join(" "))
    .filter((suggested) => suggested !== typed.join(" "));
}

let wordList = null;
/** The site's word list (search/words.json), fetched once, when a search first finds nothing. */
function siteWords() {
  wordList ||= fetch(new URL("words.json", location.href))
    .then((response) => (response.ok ? response.json() : []))
    .catch(() => []);
  return wordList;
}

/**
 * Pagefind's excerpt as nodes, without reading it as HTML. Pagefind builds it from the page's
 * indexed text with "<" and ">" written as &lt; and &gt;, then wraps each matched word in
 * <mark>…</mark>: here the text between those tags becomes text nodes (with &lt; and &gt; read
 * back), and each marked word a <mark> built here. Any other markup stays visible text.
 *
 * @param {string} excerpt
 * @returns {(Node | string)[]}
 */
export function excerptNodes(excerpt) {
  return excerpt
    .split(/<\/?mark>/)
    .map((part, index) => {
      const text = part.replaceAll("&lt;", "<").replaceAll("&gt;", ">");
      return index % 2 ? el("mark", { textContent: text }) : text;
    })
    .filter((node) => node !== "");
}

/** The query, ticked filters and order in the page's address (?q=…&type=…&sort=newest). */
function readAddress() {
  const params = new URLSearchParams(location.search);
  const chosen = {};
  for (const key of FACETS) chosen[key] = new Set(params.getAll(key));
  const sort = params.get("sort") === NEWEST ? NEWEST : "";
  return { query: params.get("q") || "", chosen, sort };
}

function addressFor(query, chosen, sort) {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  for (const key of FACETS) for (const value of chosen[key] || []) params.append(key, value);
  if (sort) params.set("sort", sort);
  const search = params.toString();
  return `${location.pathname}${search ? `?${search}` : ""}${location.hash}`;
}

// One search page, set up on load (onEveryPage, dom.js).
function setUp(root) {
  const input = document.getElementById("briefing-search-input");
  const statusLine = root.querySelector(".briefing-search__status");
  const facetBox = root.querySelector(".briefing-search__facets");
  const list = root.querySelector(".briefing-search__results");
  const tools = root.querySelector(".briefing-search__tools");
  const toggle = root.querySelector(".briefing-search__toggle");
  const order = root.querySelector("#briefing-search-sort");
  const none = el("div", { className: "briefing-search__none" });
  let chosen = readAddress().chosen;
  let pagefind = null;
  let totals = {};
  let run = 0;
  let pending = [];
  let lastCounts = null;

  // A large site's index is in parts (search.md.j2, generator.site.parts): the first part (every
  // actor profile, the newest briefs) is searched, and after each search the reader is offered
  // the earlier years, whose parts are then merged in and the search run again. They are
  // fetched only on request, so that a first search downloads the first part's files alone.
  const earlier = (root.dataset.earlier || "").split(" ").filter(Boolean);
  let widened = false;
  const scope = el("p", { className: "briefing-search__scope" });
  const widen = el("button", {
    type: "button",
    className: "briefing-search__earlier",
    textContent: `Search briefs from ${root.dataset.earlierYears} too`,
  });
  widen.addEventListener("click", async () => {
    widen.disabled = true;
    statusLine.textContent = `Adding the briefs from ${root.dataset.earlierYears}…`;
    try {
      await warm();
      await mergeParts(pagefind, root.dataset.root, earlier);
    } catch {
      statusLine.textContent = "The earlier years could not be loaded. Try again.";
      widen.disabled = false;
      return;
    }
    widened = true;
    scope.remove();
    facetsLoading = null; // (the filter lists and counts of every part)
    await search();
    (list.querySelector("a") || input).focus();
  });

  function showScope() {
    if (!earlier.length || widened) return;
    widen.disabled = false;
    scope.replaceChildren(`Searched: ${root.dataset.scope}. `, widen);
    if (!scope.isConnected) statusLine.after(scope);
  }

  function counted(n) {
    const found = `${n} result${n === 1 ? "" : "s"}`;
    if (!earlier.length) return found;
    return `${found} in ${widened ? "every brief and actor profile" : root.dataset.scope}`;
  }

  function filters() {
    const out = {};
    for (const [key, values] of Object.entries(chosen)) {
      if (values.size) out[key] = { any: [...values] };
    }
    return out;
  }

  // The filters' switch, above the results: on narrow screens the filters open under it (they
  // used to come after every result), on wide ones briefing.css hides it and they stay beside
  // the results. It counts the ticked filters.
  function ticked() {
    return Object.values(chosen).reduce((n, values) => n + values.size, 0);
  }

  function showTicked() {
    const n = ticked();
    toggle.textContent = n ? `Filters (${n})` : "Filters";
  }

  function openFilters(open) {
    toggle.setAttribute("aria-expanded", String(open));
    if (open) facetBox.dataset.open = "";
    else delete facetBox.dataset.open;
  }

  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    openFilters(open);
    if (open) {
      loadFacets();
      facetBox.querySelector("input, button")?.focus();
    }
  });

  // At the end of the open filters on a narrow screen: back to the results they chose.
  const done = el("button", {
    type: "button",
    className: "briefing-search__done",
    textContent: "Show the results",
  });
  done.addEventListener("click", () => {
    openFilters(false);
    toggle.focus();
    toggle.scrollIntoView({ block: "start" });
  });

  // The address follows the page: typing replaces the entry, ticking a filter, choosing an
  // order or submitting adds one, so the back button steps back through them.
  function remember(push) {
    const address = addressFor(input.value.trim(), chosen, order.value);
    if (address === `${location.pathname}${location.search}${location.hash}`) return;
    if (push) history.pushState(null, "", address);
    else history.replaceState(null, "", address);
  }

  function option(key, value, n) {
    const set = chosen[key];
    const box = el("input", { type: "checkbox", checked: set.has(value), value });
    box.dataset.facet = key;
    box.addEventListener("change", () => {
      if (box.checked) set.add(value);
      else set.delete(value);
      showTicked();
      remember(true);
      search();
    });
    return el(
      "label",
      { className: "briefing-search__option" },
      box,
      ` ${value} `,
      el("span", { className: "briefing-search__count", textContent: `(${n})` }),
    );
  }

  // Options that would give no result are left out (unless ticked, so they can be unticked).
  function renderFacets(counts) {
    lastCounts = counts;
    facetBox.replaceChildren();
    for (const key of FACETS) {
      const all = totals[key];
      chosen[key] ||= new Set();
      if (!all || !Object.keys(all).length) continue;
      const values = Object.keys(all).sort((a, b) =>
        key === "year" ? b.localeCompare(a) : a.localeCompare(b),
      );
      const options = [];
      for (const value of values) {
        const n = counts?.[key] ? counts[key][value] || 0 : all[value];
        if (n || chosen[key].has(value)) options.push(option(key, value, n));
      }
      if (!options.length) continue;
      facetBox.append(
        el(
          "fieldset",
          { className: "briefing-search__facet" },
          el("legend", { textContent: LABELS[key] }),
          ...options,
        ),
      );
    }
    if (facetBox.childElementCount) facetBox.append(done);
  }

  async function renderResult(result) {
    const data = await result.data();
    const meta = data.meta || {};
    const link = el("a", { href: data.url, textContent: meta.title || data.url });
    const details = el("p", {
      className: "briefing-search__meta",
      textContent: [meta.kind, meta.status, meta.date].filter(Boolean).join(" · "),
    });
    const words = input.value.trim() && data.excerpt ? excerptNodes(data.excerpt) : [];
    const summary = el(
      "p",
      { className: "briefing-search__summary" },
      ...(words.length ? words : [meta.summary || ""]),
    );
    return el("li", { className: "briefing-search__result" }, el("h2", {}, link), details, summary);
  }

  // Nothing found: the closest indexed words to those typed, the search without its filters,
  // and the pages that need no words.
  async function showNone(query, active) {
    const mine = run;
    const parts = [];
    if (query) {
      const offered = suggestions(query, await siteWords());
      if (mine !== run) return;
      const links = offered.map((suggested) => {
        const link = el("a", {
          href: addressFor(suggested, chosen, order.value),
          textContent: suggested,
        });
        link.addEventListener("click", (event) => {
          event.preventDefault();
          input.value = suggested;
          remember(true);
          search();
        });
        return link;
      });
      const between = (n) => (n === 0 ? "" : n === links.length - 1 ? " or " : ", ");
      const quoted = `Nothing matches “${query}”`;
      if (links.length) {
        const choices = links.flatMap((link, n) => [between(n), link].filter(Boolean));
        parts.push(el("p", {}, `${quoted}. Did you mean `, ...choices, "?"));
      } else {
        parts.push(el("p", { textContent: `${quoted}. Check the spelling, or try fewer words.` }));
      }
    }
    if (Object.keys(active).length) {
      const clear = el("button", {
        type: "button",
        className: "briefing-search__more",
        textContent: "Search without the filters",
      });
      clear.addEventListener("click", () => {
        for (const key of FACETS) chosen[key] = new Set();
        showTicked();
        remember(true);
        search();
      });
      parts.push(el("p", {}, clear));
    }
    const hubs = HUBS.flatMap(([path, label], n) => [
      n ? " · " : "",
      el("a", { href: `${root.dataset.root}${path}`, textContent: label }),
    ]);
    parts.push(el("p", {}, "Or browse ", ...hubs.filter(Boolean), "."));
    none.replaceChildren(...parts);
    list.after(none);
  }

  async function search() {
    if (!root.isConnected) return; // the reader has gone to another page meanwhile
    const mine = ++run;
    const query = input.value.trim();
    const active = filters();
    none.remove();
    if (!query && !Object.keys(active).length) {
      list.replaceChildren();
      more.remove();
      renderFacets(null);
      scope.remove();
      statusLine.textContent = "Type a word, or choose filters.";
      return;
    }
    await warm();
    // Newest first when asked, and always without words (there is no best match then).
    const newest = order.value === NEWEST || !query;
    const response = await pagefind.search(query || null, {
      filters: active,
      sort: newest ? { date: "desc" } : undefined,
    });
    if (mine !== run) return;
    // Only the results on screen are fetched (each is a small fragment file).
    pending = response.results.slice();
    const first = await Promise.all(pending.splice(0, PAGE).map(renderResult));
    if (mine !== run) return;
    more.remove();
    list.replaceChildren(...first);
    if (pending.length) list.after(more);
    const found = response.results.length;
    statusLine.textContent = `${counted(found)}${found > 1 && newest ? ", newest first" : ""}`;
    if (!found) showNone(query, active);
    // (Nothing found and nothing ticked: no filter would find anything either.)
    toggle.hidden = !found && !ticked();
    if (toggle.hidden) openFilters(false);
    showScope();
    if (facetsLoading) renderFacets(response.filters);
    root.dataset.ready = "true";
    if (!facetsLoading) loadFacets();
  }

  async function showMore(mine) {
    const next = pending.splice(0, PAGE * 2);
    const items = await Promise.all(next.map(renderResult));
    if (mine !== run) return;
    more.remove();
    list.append(...items);
    if (pending.length) list.after(more);
    items[0]?.querySelector("a")?.focus();
  }

  const more = el("button", {
    type: "button",
    className: "briefing-search__more",
    textContent: "Show more results",
  });
  more.addEventListener("click", () => showMore(run));

  // Getting ready to search costs the reader a download (Pagefind's metadata and WebAssembly),
  // so it starts only when they show they are about to search: focus in the search box, or a
  // query in the address. While they type, the index for the word so far is fetched, so the
  // search itself mostly finds its data in memory.
  const warm = () => warmPagefind(pagefind);
  const prefetch = () => preloadTerm(pagefind, input.value.trim());

  // Back and forward: the page shows what its address says.
  const path = location.pathname;
  function restore() {
    if (!root.isConnected || location.pathname !== path) return;
    const state = readAddress();
    input.value = state.query;
    chosen = state.chosen;
    order.value = state.sort;
    showTicked();
    if (facetsLoading) renderFacets(lastCounts);
    search();
  }

  async function start() {
    try {
      pagefind = await loadPagefind(root.dataset.root);
    } catch {
      statusLine.textContent =
        "The search index is missing. It is built at the end of `mkdocs build` and when `mkdocs serve` starts; rebuild the site to search.";
      root.dataset.ready = "error";
      return;
    }
    // The address wins; otherwise keep anything typed before the script was ready.
    const state = readAddress();
    input.value = state.query || input.value;
    order.value = state.sort;
    order.addEventListener("change", () => {
      remember(true);
      search();
    });
    showTicked();
    tools.hidden = false;
    let timer = 0;
    input.addEventListener("focus", warm);
    input.addEventListener("input", () => {
      prefetch();
      clearTimeout(timer);
      timer = setTimeout(() => {
        remember(false);
        search();
      }, 150);
    });
    if (document.activeElement === input) warm();
    root.querySelector("form").addEventListener("submit", (event) => {
      event.preventDefault();
      clearTimeout(timer);
      remember(true);
      search();
    });
    window.addEventListener("popstate", restore);
    statusLine.textContent = "Type a word, or choose filters.";
    root.dataset.ready = "true";
    const filtered = Object.keys(filters()).length > 0;
    if (input.value || filtered) {
      if (filtered) loadFacets();
      await search();
    } else {
      const browse = el("button", {
        type: "button",
        className: "briefing-search__more",
        textContent: "Browse by filters",
      });
      browse.addEventListener("click", () => {
        browse.remove();
        loadFacets();
      });
      facetBox.append(browse);
    }
  }

  // The facet lists are loaded once the first results are on screen (or the page is idle with
  // no query), so that a reader's first search downloads and computes as little as possible.
  let facetsLoading = null;
  function loadFacets() {
    facetsLoading ||= warm()
      .then(() => pagefind.filters())
      .then(async (all) => {
        totals = all;
        renderFacets(null);
        const query = input.value.trim();
        if (!query && !Object.keys(filters()).length) return;
        // Counts for the results on screen; the results themselves (and the reader's focus in
        // them) stay as they are.
        const mine = run;
        const response = await pagefind.search(query || null, { filters: filters() });
        if (mine === run) renderFacets(response.filters);
      });
    return facetsLoading;
  }

  start();
}

// Arriving with a query (/search/?q=…, from the header box or a shared link), Pagefind gets
// ready and fetches the index for the query at once, while the theme is still setting the page up.
const arriving = document.getElementById("briefing-search");
const asked = new URLSearchParams(location.search).get("q")?.trim();
if (arriving && asked) {
  loadPagefind(arriving.dataset.root)
    .then((pagefind) => {
      warmPagefind(pagefind);
      return pagefind.preload(asked);
    })
    .catch(() => {}); // (a missing index is reported by the page's own start)
}

const started = new WeakSet();
onEveryPage(() => {
  const root = document.getElementById("briefing-search");
  if (!root || started.has(root)) return;
  started.add(root);
  setUp(root);
});
