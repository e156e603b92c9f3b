// The explorer's map: the events of the window that have a place, as Leaflet markers in
// clusters (the vendored Leaflet and Leaflet.markercluster, loaded here in order). The ground
// is the map page's (assets/map/basemap.js): Natural Earth from the site, or the tiles of the
// plugin's map_tiles option when it is set (the page's policy allows that host). Record text
// goes in as text only: marker titles and alt texts are attributes Leaflet sets as properties.
import { addTo as addBasemap, loadScript } from "../map/basemap.js";

const LEAFLET = new URL("../vendor/leaflet/leaflet.js", import.meta.url).href;
const CLUSTER = new URL("../vendor/leaflet.markercluster/leaflet.markercluster.js", import.meta.url)
  .href;
const ICONS = new URL("../vendor/leaflet/images/", import.meta.url).href;
const KOREA = [38.3, 127.5];

async function leaflet() {
  if (!window.L) await loadScript(LEAFLET);
  if (!window.L.MarkerClusterGroup) await loadScript(CLUSTER);
  return window.L;
}

function clusterIcon(L) {
  return (cluster) => {
    const count = cluster.getChildCount();
    const size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    return L.divIcon({
      // A number and fixed text only.
      html: `<div><span>${count}<span class="bx-sr"> events</span></span></div>`,
      className: `marker-cluster marker-cluster-${size}`,
      iconSize: L.point(40, 40),
    });
  };
}

/**
 * A map in `canvas`; `choose(i)` is called with an event's number when its marker is chosen.
 * Resolves to {show(rows), select(i)}: `rows` are the window's events ({i, title, point}).
 */
export async function createMap(canvas, choose) {
  const L = await leaflet();
  const map = L.map(canvas, { maxZoom: 18, scrollWheelZoom: false });
  map.setView(KOREA, 5);
  addBasemap(map);
  const icon = new L.Icon.Default({ imagePath: ICONS });
  const clusters = L.markerClusterGroup({
    maxClusterRadius: 40,
    showCoverageOnHover: false,
    iconCreateFunction: clusterIcon(L),
  }).addTo(map);
  const markers = new Map(); // event number -> marker, made once
  let shown = new Set();
  let fitted = false;

  function markerOf(row) {
    let marker = markers.get(row.i);
    if (!marker) {
      marker = L.marker(row.point, { icon, alt: row.title, title: row.title, keyboard: true });
      marker.on("click", () => choose(row.i));
      marker.on("keypress", (e) => {
        if (e.originalEvent.key === "Enter") choose(row.i);
      });
      markers.set(row.i, marker);
    }
    return marker;
  }

  function show(rows) {
    const located = rows.filter((row) => row.point);
    const next = new Set(located.map((row) => row.i));
    // Only the change: markers that left the window out, those that came in added.
    const gone = [...shown].filter((i) => !next.has(i)).map((i) => markers.get(i));
    const added = located.filter((row) => !shown.has(row.i)).map(markerOf);
    if (gone.length) clusters.removeLayers(gone);
    if (added.length) clusters.addLayers(added);
    shown = next;
    canvas.dataset.count = String(located.length);
    // The map moves only when a marker of the window would be out of sight (moving it costs
    // more than the rest of a redraw, and a map that jumps at every pan is hard to follow).
    if (located.length) {
      const bounds = L.latLngBounds(located.map((row) => row.point));
      if (!fitted || !map.getBounds().contains(bounds)) {
        fitted = true;
        map.fitBounds(bounds.pad(0.3), { maxZoom: 7, animate: false });
      }
    }
    return located.length;
  }

  let chosen = null;

  function select(i) {
    chosen?.getElement()?.classList.remove("bx-chosen");
    const marker = markers.get(i);
    chosen = marker || null;
    if (!marker || !shown.has(i)) return;
    clusters.zoomToShowLayer(marker, () => marker.getElement()?.classList.add("bx-chosen"));
  }

  return { show, select, map };
}
