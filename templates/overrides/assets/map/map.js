/* Briefing map page: events with coordinates, from /data/events.geojson, on a Leaflet map.
 *
 * The page holds only this script (templates/map.md.j2). It loads the vendored Leaflet and
 * Leaflet.markercluster itself, one after the other (markercluster must run after Leaflet),
 * which also holds should Material's instant navigation (off: mkdocs.yml) be turned on again:
 * it re-inserts the scripts of a page it swaps in without keeping their order. The ground under
 * the markers is basemap.js's: Natural Earth from the site, or the tiles of `map_tiles`.
 *
 * This is a module, so it runs once per document. Start-up runs once the page is parsed
 * (onEveryPage, dom.js); init() does nothing without a #map or when that #map is set up already.
 *
 * Record text (titles, places) only ever goes into the page through textContent and
 * attribute properties, never as HTML.
 *
 * For tests: window.briefingMap.visibleIds() lists the ids of the events shown after filtering,
 * window.briefingMap.reveal(id) zooms to one of them (markercluster's zoomToShowLayer), and
 * #map gets data-ready="true" once the markers are on it.
 */
import { el, onEveryPage } from "../dom.js";
import { addTo as addBasemap, loadScript, preload } from "./basemap.js";

const LEAFLET = new URL("../vendor/leaflet/leaflet.js", import.meta.url).href;
const CLUSTER = new URL("../vendor/leaflet.markercluster/leaflet.markercluster.js", import.meta.url)
  .href;
const ICONS = new URL("../vendor/leaflet/images/", import.meta.url).href;
const KOREA = [38.3, 127.5];

let state = null; // the map currently set up: {el, map, clusters, entries, ...}
let vendor = null; // Promise of window.L with markercluster, once asked for

// Leaflet and markercluster are classic scripts that set window.L: loaded as scripts of this
// site (the policy allows them), in order (loadScript: basemap.js).
function loadVendor() {
  if (window.L?.MarkerClusterGroup) return Promise.resolve(window.L);
  if (!vendor) {
    vendor = (window.L ? Promise.resolve() : loadScript(LEAFLET))
      .then(() => (window.L.MarkerClusterGroup ? null : loadScript(CLUSTER)))
      .then(() => window.L);
    vendor.catch(() => {
      vendor = null; // try again on the next visit
    });
  }
  return vendor;
}

// Leaflet measures its container and reads its marker image path from CSS: wait for the
// page's stylesheets.
function stylesheets(root) {
  const pending = [...root.querySelectorAll('link[rel="stylesheet"]')].filter(
    (link) => !link.sheet,
  );
  return Promise.all(
    pending.map(
      (link) =>
        new Promise((resolve) => {
          link.addEventListener("load", resolve, { once: true });
          link.addEventListener("error", resolve, { once: true });
          window.setTimeout(resolve, 5000);
        }),
    ),
  );
}

async function loadData(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

function briefLink(entry, className) {
  return el("a", { className, href: entry.url, textContent: entry.title });
}

function describe(entry) {
  return [entry.date, entry.typeLabel].filter(Boolean).join(" · ");
}

function popup(entry) {
  return el(
    "div",
    { className: "briefing-map-popup" },
    el("p", { className: "briefing-map-popup__title" }, briefLink(entry)),
    el("p", { className: "briefing-map-popup__meta", textContent: describe(entry) }),
    ...(entry.place
      ? [el("p", { className: "briefing-map-popup__place", textContent: entry.place })]
      : []),
  );
}

function clusterIcon(L) {
  return (cluster) => {
    const count = cluster.getChildCount();
    const size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    return L.divIcon({
      // A number and fixed text only.
      html: `<div><span>${count}<span class="briefing-map-sr"> events</span></span></div>`,
      className: `marker-cluster marker-cluster-${size}`,
      iconSize: L.point(40, 40),
    });
  };
}

function entriesFrom(data, root) {
  const features = Array.isArray(data?.features) ? data.features : [];
  const entries = [];
  for (const feature of features) {
    const p = feature.properties || {};
    const point = feature.geometry?.coordinates;
    const id = String(p.id || feature.id || "");
    if (!id || !Array.isArray(point) || typeof point[0] !== "number") continue;
    entries.push({
      id,
      lat: point[1],
      lon: point[0],
      title: String(p.title || id),
      date: p.date_display ? String(p.date_display) : "",
      year: p.year === undefined || p.year === null ? "" : String(p.year),
      type: String(p.type || ""),
      typeLabel: p.type_label ? String(p.type_label) : "",
      place: p.place ? String(p.place) : "",
      // Built from the site root this page sees, not the absolute url in the data, so
      // that the link works wherever the site is served.
      url: new URL(`briefs/${encodeURIComponent(id)}/`, root).href,
      marker: null,
    });
  }
  return entries;
}

function build(L, canvas, data, parts) {
  const root = new URL("../", parts.dataUrl).href; // /data/events.geojson -> site root
  const entries = entriesFrom(data, root);
  const map = L.map(canvas, { maxZoom: 18, scrollWheelZoom: false });
  // The ground: Natural Earth from the site, or the tiles of the plugin's map_tiles option
  // (the canvas's data-tiles; the page's policy allows images from that host only). The
  // markers do not wait for it, and work without it.
  addBasemap(map).catch((error) => window.console?.error(error));
  const icon = new L.Icon.Default({ imagePath: ICONS });
  const clusters = L.markerClusterGroup({
    maxClusterRadius: 50,
    showCoverageOnHover: false,
    spiderfyOnMaxZoom: true,
    iconCreateFunction: clusterIcon(L),
  });
  for (const entry of entries) {
    entry.marker = L.marker([entry.lat, entry.lon], {
      icon,
      alt: entry.title,
      title: entry.title,
      riseOnHover: true,
    });
    entry.marker.bindPopup(() => popup(entry), { maxWidth: 280 });
  }
  // An open (spiderfied) cluster: map.css keeps it opaque, so its count stays readable.
  clusters.on("spiderfied unspiderfied", (event) => {
    event.cluster.getElement()?.classList.toggle("is-open", event.type === "spiderfied");
  });
  clusters.addTo(map);
  if (entries.length) {
    const bounds = L.latLngBounds(entries.map((entry) => [entry.lat, entry.lon]));
    map.fitBounds(bounds.pad(0.3), { maxZoom: 7 });
  } else {
    map.setView(KOREA, 6);
  }
  const known = {};
  for (const input of parts.form.querySelectorAll('input[name="type"]')) {
    known[input.value] = true;
    const count = entries.filter((entry) => entry.type === input.value).length;
    const label = parts.form.querySelector(
      `.briefing-map-type-count[data-type="${CSS.escape(input.value)}"]`,
    );
    if (label) label.textContent = `(${count})`;
  }
  return { el: canvas, map, clusters, entries, known, parts };
}

function apply(current) {
  const form = current.parts.form;
  const types = {};
  for (const input of form.querySelectorAll('input[name="type"]')) {
    types[input.value] = input.checked;
  }
  const year = form.querySelector('select[name="year"]').value;
  const shown = current.entries.filter((entry) => {
    const typeOk = current.known[entry.type] ? types[entry.type] : true;
    return typeOk && (!year || entry.year === year);
  });
  current.clusters.clearLayers();
  current.clusters.addLayers(shown.map((entry) => entry.marker));
  current.parts.count.textContent = `${shown.length} ${shown.length === 1 ? "event" : "events"} shown`;
  current.parts.list
    .querySelector("ul")
    .replaceChildren(
      ...shown.map((entry) => el("li", {}, briefLink(entry), `, ${describe(entry)}`)),
    );
}

function teardown() {
  if (state) {
    state.map.remove();
    state = null;
  }
}

function listen(current) {
  const form = current.parts.form;
  form.addEventListener("change", () => apply(current));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    apply(current);
  });
  document.getElementById("map-reset")?.addEventListener("click", () => {
    for (const input of form.querySelectorAll('input[name="type"]')) input.checked = true;
    form.querySelector('select[name="year"]').value = "";
    apply(current);
  });
}

function init() {
  const canvas = document.getElementById("map");
  if (state && state.el !== canvas) teardown(); // the page with the old map was swapped out
  if (!canvas || canvas.hasAttribute("data-state")) return;
  const data = document.querySelector("a.briefing-map-data");
  const parts = {
    dataUrl: data ? data.href : new URL("../data/events.geojson", document.baseURI).href,
    form: document.getElementById("map-filters"),
    count: document.getElementById("map-count"),
    list: document.getElementById("map-list"),
  };
  if (!parts.form || !parts.count || !parts.list) return;
  canvas.setAttribute("data-state", "loading");
  parts.count.hidden = false;
  canvas.hidden = false;
  const box = canvas.closest(".briefing-map") || document;
  preload(canvas);
  Promise.all([loadVendor(), loadData(parts.dataUrl), stylesheets(box)])
    .then(([L, geojson]) => {
      if (document.getElementById("map") !== canvas) return; // navigated away meanwhile
      teardown();
      state = build(L, canvas, geojson, parts);
      listen(state);
      apply(state);
      parts.form.hidden = false;
      parts.list.hidden = false;
      canvas.setAttribute("data-state", "ready");
      canvas.setAttribute("data-ready", "true");
    })
    .catch((error) => {
      canvas.setAttribute("data-state", "error");
      parts.count.textContent = `The map could not be loaded (${error.message}). The events are in the data file.`;
      window.console?.error(error);
    });
}

function visibleIds() {
  if (!state) return [];
  return state.entries
    .filter((entry) => state.clusters.hasLayer(entry.marker))
    .map((entry) => entry.id);
}

// Zoom (and spiderfy) until the event's marker is on screen; resolves false when the event
// is not shown (filtered out, or unknown) or the map did not get there within 10 seconds.
function reveal(id) {
  return new Promise((resolve) => {
    const entry = state?.entries.find((e) => e.id === id);
    if (!entry || !state.clusters.hasLayer(entry.marker)) {
      resolve(false);
      return;
    }
    const timer = window.setTimeout(() => resolve(false), 10000);
    state.clusters.zoomToShowLayer(entry.marker, () => {
      window.clearTimeout(timer);
      resolve(true);
    });
  });
}

Object.defineProperty(window, "briefingMap", {
  value: Object.freeze({ visibleIds, reveal }),
});

onEveryPage(init);
