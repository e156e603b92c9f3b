// The /search/ page: Pagefind's JavaScript API with facet checkboxes and result counts.
// Record text reaches the page only through textContent, never as HTML (except Pagefind's
// excerpt, which Pagefind builds from the indexed text and marks with <mark>).
import { el, onEveryPage } from "../dom.js";

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
const PAGE = 10; // results fetched and shown at a time

// Pagefind is imported and set up once per document: every visit to the search page (Material's
// instant navigation may swap it in several times) shares it, and its index once downloaded.
let loading = null;
let ready = null;
function loadPagefind(base) {
  loading ||= (async () => {
    const pagefind = await import(new URL(`${base}pagefind/pagefind.js`, location.href).href);
    // Searching on the page's own thread: a worker would first have to download its own copy of
    // Pagefind (another 41 KB, 11 KB compressed) before it could fetch anything else.
    await pagefind.options({ excerptLength: 30, noWorker: true });
    return pagefind;
  })();
  return loading;
}

// One search page, set up on load and each time instant navigation swaps it in.
function setUp(root) {
  const input = document.getElementById("briefing-search-input");
  const statusLine = root.querySelector(".briefing-search__status");
  const facetBox = root.querySelector(".briefing-search__facets");
  const list = root.querySelector(".briefing-search__results");
  const chosen = {};
  let pagefind = null;
  let totals = {};
  let run = 0;
  let pending = [];

  function filters() {
    const out = {};
    for (const [key, values] of Object.entries(chosen)) {
      if (values.size) out[key] = { any: [...values] };
    }
    return out;
  }

  function renderFacets(counts) {
    facetBox.replaceChildren();
    for (const key of FACETS) {
      const all = totals[key];
      if (!all || !Object.keys(all).length) continue;
      chosen[key] ||= new Set();
      const set = chosen[key];
      const fieldset = el(
        "fieldset",
        { className: "briefing-search__facet" },
        el("legend", { textContent: LABELS[key] }),
      );
      const values = Object.keys(all).sort((a, b) =>
        key === "year" ? b.localeCompare(a) : a.localeCompare(b),
      );
      for (const value of values) {
        const n = counts?.[key] ? counts[key][value] || 0 : all[value];
        const box = el("input", {
          type: "checkbox",
          checked: set.has(value),
          value,
          dataset: { facet: key },
        });
        box.addEventListener("change", () => {
          if (box.checked) set.add(value);
          else set.delete(value);
          search();
        });
        fieldset.append(
          el(
            "label",
            { className: "briefing-search__option" },
            box,
            ` ${value} `,
            el("span", { className: "briefing-search__count", textContent: `(${n})` }),
          ),
        );
      }
      facetBox.append(fieldset);
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
    const summary = el("p", {
      className: "briefing-search__summary",
      textContent: meta.summary || "",
    });
    return el("li", { className: "briefing-search__result" }, el("h2", {}, link), details, summary);
  }

  async function search() {
    if (!root.isConnected) return; // the reader has gone to another page meanwhile
    const mine = ++run;
    const query = input.value.trim();
    const params = new URLSearchParams(location.search);
    if (query) params.set("q", query);
    else params.delete("q");
    history.replaceState(null, "", `${location.pathname}${params.toString() ? `?${params}` : ""}`);
    const active = filters();
    if (!query && !Object.keys(active).length) {
      list.replaceChildren();
      renderFacets(null);
      statusLine.textContent = "Type a word, or choose filters.";
      return;
    }
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
    const n = response.results.length;
    statusLine.textContent = `${n} result${n === 1 ? "" : "s"}`;
    renderFacets(response.filters);
    root.dataset.ready = "true";
    if (!facetsLoading) loadFacets();
  }

  async function showMore(mine) {
    const next = pending.splice(0, PAGE);
    const items = await Promise.all(next.map(renderResult));
    if (mine !== run) return;
    more.remove();
    list.append(...items);
    if (pending.length) list.after(more);
  }

  const more = el("button", {
    type: "button",
    className: "briefing-search__more",
    textContent: "Show more results",
  });
  more.addEventListener("click", () => showMore(run));

  // Getting ready to search costs the reader a download (Pagefind's metadata and WebAssembly,
  // about 170 KB on a 10,000-event site), so it starts only when they show they are about to
  // search: focus in the search box, or a query in the address. While they type, the index chunk
  // for the word so far is fetched (from three letters on: shorter prefixes would pull in chunks
  // for every word that starts with them), so the search itself mostly finds its data in memory.
  function warm() {
    ready ||= pagefind.init();
    return ready;
  }
  function prefetch() {
    const query = input.value.trim();
    warm();
    if (query.length >= 3) pagefind.preload(query);
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
    // A query in the address wins; otherwise keep anything typed before the script was ready.
    input.value = new URLSearchParams(location.search).get("q") || input.value;
    let timer = 0;
    input.addEventListener("focus", warm);
    input.addEventListener("input", () => {
      prefetch();
      clearTimeout(timer);
      timer = setTimeout(search, 150);
    });
    if (document.activeElement === input) warm();
    root.querySelector("form").addEventListener("submit", (event) => {
      event.preventDefault();
      search();
    });
    statusLine.textContent = "Type a word, or choose filters.";
    root.dataset.ready = "true";
    if (input.value) await search();
    else {
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
    facetsLoading =
      facetsLoading ||
      pagefind.filters().then(async (all) => {
        totals = all;
        renderFacets(null);
        const query = input.value.trim();
        if (!query) return;
        // Counts for the results on screen; the results themselves (and the reader's focus in
        // them) stay as they are.
        const mine = run;
        const response = await pagefind.search(query, { filters: filters() });
        if (mine === run) renderFacets(response.filters);
      });
    return facetsLoading;
  }

  start();
}

const started = new WeakSet();
onEveryPage(() => {
  const root = document.getElementById("briefing-search");
  if (!root || started.has(root)) return;
  started.add(root);
  setUp(root);
});
