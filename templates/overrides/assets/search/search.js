// The /search/ page: Pagefind's JavaScript API with facet checkboxes and result counts.
// Record text reaches the page only as text: through textContent, or (Pagefind's excerpt) as
// text nodes and <mark> elements built here (see excerptNodes), never through innerHTML.
import { el, onEveryPage } from "../dom.js";
import { loadPagefind, mergeParts, preloadTerm, warmPagefind } from "./load.js";

const FACETS = ["section", "type", "status", "year", "actor", "country", "tag"];
const LABELS = {
  section: "Section",
  type: "Type",
  status: "Status",
  year: "Year",
  actor: "Actor",
  country: "Country",
  tag: "Tag",
};
const PAGE = 5; // results fetched and shown at a time (each is one small fragment file)

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

/** The query and ticked filters in the page's address (?q=…&type=…&type=…). */
function readAddress() {
  const params = new URLSearchParams(location.search);
  const chosen = {};
  for (const key of FACETS) chosen[key] = new Set(params.getAll(key));
  return { query: params.get("q") || "", chosen };
}

function addressFor(query, chosen) {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  for (const key of FACETS) for (const value of chosen[key] || []) params.append(key, value);
  const search = params.toString();
  return `${location.pathname}${search ? `?${search}` : ""}${location.hash}`;
}

// One search page, set up on load (onEveryPage, dom.js).
function setUp(root) {
  const input = document.getElementById("briefing-search-input");
  const statusLine = root.querySelector(".briefing-search__status");
  const facetBox = root.querySelector(".briefing-search__facets");
  const list = root.querySelector(".briefing-search__results");
  let chosen = readAddress().chosen;
  let pagefind = null;
  let totals = {};
  let run = 0;
  let pending = [];
  let lastCounts = null;

  // A large site's index is in parts (search.md.j2, generator.parts): the first part (every
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

  // The address follows the page: typing replaces the entry, ticking a filter or submitting
  // adds one, so the back button steps back through them.
  function remember(push) {
    const address = addressFor(input.value.trim(), chosen);
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
  }

  async function renderResult(result) {
    const data = await result.data();
    const meta = data.meta || {};
    const link = el("a", { href: data.url, textContent: meta.title || data.url });
    const details = el("p", {
      className: "briefing-search__meta",
      textContent: [meta.kind, meta.date].filter(Boolean).join(" · "),
    });
    const words = input.value.trim() && data.excerpt ? excerptNodes(data.excerpt) : [];
    const summary = el(
      "p",
      { className: "briefing-search__summary" },
      ...(words.length ? words : [meta.summary || ""]),
    );
    return el("li", { className: "briefing-search__result" }, el("h2", {}, link), details, summary);
  }

  async function search() {
    if (!root.isConnected) return; // the reader has gone to another page meanwhile
    const mine = ++run;
    const query = input.value.trim();
    const active = filters();
    if (!query && !Object.keys(active).length) {
      list.replaceChildren();
      more.remove();
      renderFacets(null);
      scope.remove();
      statusLine.textContent = "Type a word, or choose filters.";
      return;
    }
    await warm();
    const response = await pagefind.search(query || null, {
      filters: active,
      sort: query ? undefined : { date: "desc" },
    });
    if (mine !== run) return;
    // Only the results on screen are fetched (each is a small fragment file).
    pending = response.results.slice();
    const first = await Promise.all(pending.splice(0, PAGE).map(renderResult));
    if (mine !== run) return;
    more.remove();
    list.replaceChildren(...first);
    if (pending.length) list.after(more);
    statusLine.textContent = counted(response.results.length);
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
