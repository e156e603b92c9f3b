// Pagefind, imported and set up once per document and shared by the header box and the search
// page, so that whatever one has fetched (Pagefind's script, metadata and WebAssembly, and the
// index for the words typed so far) the other finds in memory, and the next page in the
// browser's cache.
const HIGHLIGHT = "highlight"; // the query parameter assets/highlight.js reads on a brief

let loading = null;
let ready = null;

/** Pagefind's module, imported from the bundle under `base` (the site's root) once. */
export function loadPagefind(base) {
  loading ||= (async () => {
    const pagefind = await import(new URL(`${base}pagefind/pagefind.js`, location.href).href);
    // Searching on the page's own thread: a worker would first have to download its own copy of
    // Pagefind (another 41 KB, 11 KB compressed) before it could fetch anything else. Result
    // links carry the query (?highlight=…), which the brief marks.
    await pagefind.options({ excerptLength: 30, noWorker: true, highlightParam: HIGHLIGHT });
    return pagefind;
  })();
  return loading;
}

/**
 * The archive parts of a large site's index (`generator.site.parts`: folders under `base`), merged
 * into `pagefind`, so that its searches (and filter counts) take in every part.
 */
export function mergeParts(pagefind, base, folders) {
  const root = new URL(base, location.href);
  const options = { excerptLength: 30, highlightParam: HIGHLIGHT };
  return Promise.all(
    folders.map((folder) => pagefind.mergeIndex(new URL(`${folder}/`, root).href, { ...options })),
  );
}

/** Pagefind's metadata and WebAssembly, fetched and started once. */
export function warmPagefind(pagefind) {
  ready ||= pagefind.init();
  return ready;
}

/**
 * The index for what the reader has typed so far, fetched ahead of the search. From three
 * letters on: shorter prefixes would pull in the index chunks of every word they begin.
 */
export function preloadTerm(pagefind, term) {
  warmPagefind(pagefind);
  if (term.length >= 3) pagefind.preload(term);
}
