/* The ground under a Leaflet map, from the site alone: Natural Earth's land, coastlines, borders
 * and country names (public domain), from the vendored world-atlas 2.0.2 TopoJSON, decoded by
 * the vendored topojson-client 3.1.0. No request leaves the site. The world is drawn at 1:110m;
 * the peninsula and its neighbours come from the finer files tools/basemap.py cuts out of the
 * package (1:10m: the Koreas, China, Japan, Taiwan; 1:50m: Russia, Mongolia), which draw
 * those countries instead, with their own coasts and borders.
 *
 *   window.briefingBasemap.addTo(map)  (or `import { addTo } from "./basemap.js"`)
 *   window.briefingBasemap.preload(container)  (optional: start the downloads before the map)
 *
 * puts it under `map` (a Leaflet map; window.L loaded) and returns a Promise that settles once
 * it is drawn. When the map's container has a non-empty `data-tiles` (the plugin's `map_tiles`
 * option, written by the page's template), that tile server is used instead, with its credit,
 * and nothing is fetched here. The style sheet (basemap.css, beside this file) is added to the
 * page here, so a page needs only this script.
 *
 * The container gets `data-basemap`: "loading", then "natural-earth" or "tiles", or "error"
 * (the markers still work on a blank ground). The country names come from the vendored file
 * and still go in as text only.
 */
import { el } from "../dom.js";

const TOPOJSON = new URL("../vendor/topojson-client/topojson-client.min.js", import.meta.url).href;
const ATLAS = new URL("../vendor/world-atlas/", import.meta.url).href;
const WORLD = "countries-110m.json";
const DETAIL = ["countries-50m-east-asia.json", "countries-10m-east-asia.json"]; // (coarse first)
const STYLE = new URL("./basemap.css", import.meta.url).href;
// Fixed text: Leaflet writes attributions as HTML.
const NATURAL_EARTH =
  'Basemap: <a href="https://www.naturalearthdata.com/">Natural Earth</a> (public domain)';
const TILES_CREDIT =
  'Tiles: © <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';
// A country is named once the part of it in view is this many pixels across.
const LABEL_ROOM = 56;

let atlas = null; // Promise of the decoded atlas, shared by every map of the page

/** A classic script of the site (the policy allows them), once. */
export function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = el("script", { src, async: false });
    script.addEventListener("load", () => resolve());
    script.addEventListener("error", () => reject(new Error(`could not load ${src}`)));
    document.head.append(script);
  });
}

function addStyle() {
  if (document.querySelector("link[data-briefing-basemap]")) return;
  document.head.append(
    el("link", { rel: "stylesheet", href: STYLE, dataset: { briefingBasemap: "" } }),
  );
}

// The area of a ring and its centroid (plane coordinates: degrees).
function ringCentre(ring) {
  let twice = 0;
  let x = 0;
  let y = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const cross = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    twice += cross;
    x += (ring[j][0] + ring[i][0]) * cross;
    y += (ring[j][1] + ring[i][1]) * cross;
  }
  if (!twice) return { area: 0, lon: ring[0][0], lat: ring[0][1] };
  return { area: Math.abs(twice / 2), lon: x / (3 * twice), lat: y / (3 * twice) };
}

// A ring cut to the box [west, south, east, north] (Sutherland-Hodgman, one side at a time).
function clip(ring, box) {
  const sides = [
    (p) => p[0] >= box[0],
    (p) => p[1] >= box[1],
    (p) => p[0] <= box[2],
    (p) => p[1] <= box[3],
  ];
  const cross = [
    (p, q) => [box[0], p[1] + ((q[1] - p[1]) * (box[0] - p[0])) / (q[0] - p[0])],
    (p, q) => [p[0] + ((q[0] - p[0]) * (box[1] - p[1])) / (q[1] - p[1]), box[1]],
    (p, q) => [box[2], p[1] + ((q[1] - p[1]) * (box[2] - p[0])) / (q[0] - p[0])],
    (p, q) => [p[0] + ((q[0] - p[0]) * (box[3] - p[1])) / (q[1] - p[1]), box[3]],
  ];
  let out = ring;
  for (let side = 0; side < 4 && out.length; side++) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const p = input[i];
      const q = input[(i + 1) % input.length];
      const pIn = sides[side](p);
      const qIn = sides[side](q);
      if (pIn) out.push(p);
      if (pIn !== qIn) out.push(cross[side](p, q));
    }
  }
  return out;
}

function bounds(ring) {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of ring) {
    box[0] = Math.min(box[0], x);
    box[1] = Math.min(box[1], y);
    box[2] = Math.max(box[2], x);
    box[3] = Math.max(box[3], y);
  }
  return box;
}

// A country's name and the outer rings of its pieces, each with its bounds.
function country(feature) {
  const geometry = feature.geometry;
  const name = String(feature.properties?.name || "");
  if (!geometry || !name) return null;
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  return {
    name,
    rings: polygons.map((polygon) => ({ ring: polygon[0], box: bounds(polygon[0]) })),
  };
}

// Where a country's name goes in the view `box`: the centre of the largest part of it that is
// in view, once that part is LABEL_ROOM pixels across (`scale`: pixels a degree); or null.
function place(entry, box, scale) {
  let best = null;
  for (const { ring, box: own } of entry.rings) {
    if (own[2] < box[0] || own[0] > box[2] || own[3] < box[1] || own[1] > box[3]) continue;
    const inside = own[0] >= box[0] && own[2] <= box[2] && own[1] >= box[1] && own[3] <= box[3];
    const part = inside ? ring : clip(ring, box);
    if (part.length < 3) continue;
    const centre = ringCentre(part);
    if (!best || centre.area > best.area) best = centre;
  }
  return best && Math.sqrt(best.area) * scale >= LABEL_ROOM ? best : null;
}

// The lines and fills of one file. A detail file names its coasts and borders (tools/basemap.py);
// the world's are found here, leaving out the countries some detail file draws.
function decode(topojson, topology, skip) {
  const countries = topology.objects.countries;
  const kept = countries.geometries.filter((g) => !skip.has(g.properties?.name));
  const outside = (g) => !skip.has(g.properties?.name);
  const land = topojson.feature(topology, { type: "GeometryCollection", geometries: kept });
  return {
    land,
    coast: topology.objects.coast
      ? topojson.feature(topology, topology.objects.coast)
      : topojson.mesh(topology, countries, (a, b) => a === b && outside(a)),
    borders: topology.objects.borders
      ? topojson.feature(topology, topology.objects.borders)
      : topojson.mesh(topology, countries, (a, b) => a !== b && outside(a) && outside(b)),
    countries: land.features.map(country).filter(Boolean),
  };
}

function fetchJson(name) {
  const url = new URL(name, ATLAS).href;
  return fetch(url, { credentials: "same-origin" }).then((response) => {
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response.json();
  });
}

// The files decoded: the world first, then the detail files from coarse to fine.
function decodeAll([world, ...detail]) {
  const topojson = window.topojson;
  const drawn = new Set(
    detail.flatMap((topology) =>
      topology.objects.countries.geometries.map((g) => g.properties?.name),
    ),
  );
  return [
    decode(topojson, world, drawn),
    ...detail.map((topology) => decode(topojson, topology, new Set())),
  ];
}

function loadAtlas() {
  if (!atlas) {
    const script = window.topojson ? Promise.resolve() : loadScript(TOPOJSON);
    const files = Promise.all([WORLD, ...DETAIL].map(fetchJson));
    atlas = Promise.all([files, script]).then(([topologies]) => decodeAll(topologies));
    atlas.catch(() => {
      atlas = null; // try again on the next map
    });
  }
  return atlas;
}

function pane(map, name, zIndex) {
  const node = map.getPane(name) || map.createPane(name);
  node.style.zIndex = String(zIndex);
  node.style.pointerEvents = "none";
  return name;
}

// The names of the countries in view, each placed anew after every move (kept off the view's
// outer tenth, so that a name is not cut by the map's edge).
function labelLayer(L, map, countries, labelPane) {
  const group = L.layerGroup();
  const markers = new Map();
  const marker = (entry) => {
    if (!markers.has(entry.name)) {
      const icon = L.divIcon({
        className: "briefing-basemap-label",
        html: el("span", { textContent: entry.name }),
        iconSize: null,
      });
      const item = L.marker([0, 0], { pane: labelPane, interactive: false, keyboard: false, icon });
      // A name is not a marker: pages and tests find the events' markers by Leaflet's class.
      item.on("add", () => item.getElement()?.classList.remove("leaflet-marker-icon"));
      markers.set(entry.name, item);
    }
    return markers.get(entry.name);
  };
  const update = () => {
    const view = map.getBounds();
    const inset = [
      (view.getEast() - view.getWest()) * 0.1,
      (view.getNorth() - view.getSouth()) * 0.1,
    ];
    const box = [
      view.getWest() + inset[0],
      view.getSouth() + inset[1],
      view.getEast() - inset[0],
      view.getNorth() - inset[1],
    ];
    const scale = (256 * 2 ** map.getZoom()) / 360;
    const shown = new Set();
    for (const entry of countries) {
      const centre = place(entry, box, scale);
      if (!centre) continue;
      const item = marker(entry).setLatLng([centre.lat, centre.lon]);
      shown.add(item);
      if (!group.hasLayer(item)) group.addLayer(item);
    }
    for (const item of markers.values()) if (!shown.has(item)) group.removeLayer(item);
  };
  map.on("moveend", update);
  map.whenReady(update); // (a map given no view yet has no bounds)
  return group;
}

function draw(L, map, layers) {
  const base = pane(map, "briefingBasemap", 200);
  const renderer = L.svg({ pane: base, padding: 0.5 });
  const lines = (data, className) =>
    L.geoJSON(data, {
      pane: base,
      renderer,
      interactive: false,
      style: () => ({ className, fill: false }),
    });
  const fills = layers.map((layer, index) =>
    L.geoJSON(layer.land, {
      pane: base,
      renderer,
      interactive: false,
      style: () => ({ className: "briefing-basemap-land", stroke: false }),
      attribution: index ? undefined : NATURAL_EARTH,
    }),
  );
  const group = L.layerGroup([
    ...fills,
    ...layers.map((layer) => lines(layer.coast, "briefing-basemap-coast")),
    ...layers.map((layer) => lines(layer.borders, "briefing-basemap-border")),
    labelLayer(
      L,
      map,
      layers.flatMap((layer) => layer.countries),
      pane(map, "briefingBasemapLabels", 350),
    ),
  ]);
  return group.addTo(map);
}

/**
 * Start fetching what `addTo` will draw on the map in `container` (nothing when it has tiles),
 * so that the files come while Leaflet and the page's data do.
 */
export function preload(container) {
  if (!container.dataset.tiles) loadAtlas().catch(() => {}); // (addTo reports the failure)
}

/**
 * Put the basemap under `map`: the tiles its container's `data-tiles` names, else Natural
 * Earth from the site. Resolves to the Leaflet layer added.
 */
export function addTo(map) {
  const L = window.L;
  const container = map.getContainer();
  container.classList.add("briefing-basemap");
  addStyle();
  const tiles = container.dataset.tiles;
  if (tiles) {
    container.dataset.basemap = "tiles";
    return Promise.resolve(
      L.tileLayer(tiles, { maxZoom: 18, attribution: TILES_CREDIT }).addTo(map),
    );
  }
  container.dataset.basemap = "loading";
  return loadAtlas().then(
    (layers) => {
      const layer = draw(L, map, layers);
      container.dataset.basemap = "natural-earth";
      return layer;
    },
    (error) => {
      container.dataset.basemap = "error";
      throw error;
    },
  );
}

if (!window.briefingBasemap) {
  Object.defineProperty(window, "briefingBasemap", { value: Object.freeze({ addTo, preload }) });
}
