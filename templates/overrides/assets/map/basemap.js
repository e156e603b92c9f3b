/* The ground under a Leaflet map, from the site alone: Natural Earth's land, coastlines, borders
 * and country names (public domain), from the vendored world-atlas 2.0.2 TopoJSON, decoded by
 * the vendored topojson-client 3.1.0. No request leaves the site. The world is drawn at 1:110m;
 * the peninsula and its neighbours come from the finer files tools/basemap.py cuts out of the
 * package (1:10m: the Koreas, China, Japan, Taiwan; 1:50m: Russia, Mongolia), which draw
 * those countries instead, with their own coasts and borders.
 *
 *   window.briefingBasemap.addTo(map)  (or `import { addTo } from "./basemap.js"`)
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
// A country is named once its largest piece is this many pixels across.
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

// Twice the signed area of a ring, and its centroid (plane coordinates: degrees).
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

// Where a country's name goes: the centroid of its largest piece, and the zoom at which that
// piece is LABEL_ROOM pixels across.
function label(feature) {
  const geometry = feature.geometry;
  if (!geometry) return null;
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  let best = null;
  for (const polygon of polygons) {
    const centre = ringCentre(polygon[0]);
    if (!best || centre.area > best.area) best = centre;
  }
  const name = String(feature.properties?.name || "");
  if (!best?.area || !name) return null;
  const across = (Math.sqrt(best.area) * 256) / 360; // pixels at zoom 0
  const minZoom = Math.max(2, Math.ceil(Math.log2(LABEL_ROOM / across)));
  return { name, lat: best.lat, lon: best.lon, minZoom };
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
    labels: land.features.map(label).filter(Boolean),
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

function labelLayer(L, map, labels, labelPane) {
  const group = L.layerGroup();
  const markers = labels.map((place) => ({
    place,
    marker: L.marker([place.lat, place.lon], {
      pane: labelPane,
      interactive: false,
      keyboard: false,
      icon: L.divIcon({
        className: "briefing-basemap-label",
        html: el("span", { textContent: place.name }),
        iconSize: null,
      }),
    }),
  }));
  // Only the names of the countries large enough at this zoom, and near the view.
  const update = () => {
    const zoom = map.getZoom();
    const near = map.getBounds().pad(0.5);
    for (const { place, marker } of markers) {
      const shown = zoom >= place.minZoom && near.contains(marker.getLatLng());
      if (shown && !group.hasLayer(marker)) group.addLayer(marker);
      else if (!shown && group.hasLayer(marker)) group.removeLayer(marker);
    }
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
      layers.flatMap((layer) => layer.labels),
      pane(map, "briefingBasemapLabels", 350),
    ),
  ]);
  return group.addTo(map);
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
  Object.defineProperty(window, "briefingBasemap", { value: Object.freeze({ addTo }) });
}
