/* Briefing map page: events with coordinates, from /data/events.geojson, on a Leaflet map.
 *
 * The page holds only this script (templates/map.md.j2). It loads the vendored Leaflet and
 * Leaflet.markercluster itself, one after the other: Material's instant navigation re-inserts
 * the scripts of a page it swaps in without keeping their order, and markercluster must run
 * after Leaflet.
 *
 * Start-up runs on DOMContentLoaded, on every page Material's instant navigation swaps in
 * (document$), and when this file is executed again; init() does nothing without a #map or
 * when that #map is set up already.
 *
 * Record text (titles, places) only ever goes into the page through textContent and
 * attribute properties, never as HTML.
 *
 * For tests: window.briefingMap.visibleIds() lists the ids of the events shown after filtering,
 * window.briefingMap.reveal(id) zooms to one of them (markercluster's zoomToShowLayer), and
 * #map gets data-ready="true" once the markers are on it.
 */
(function () {
  "use strict";

  var INIT = typeof Symbol === "function" ? Symbol.for("briefing.map.init") : "__briefingMapInit";
  if (typeof window[INIT] === "function") {
    // Executed again (instant navigation back to the map): the first copy does the work.
    window[INIT]();
    return;
  }

  var self = document.currentScript && document.currentScript.src;
  var here = self || new URL("../assets/map/map.js", document.baseURI).href;
  var LEAFLET = new URL("../vendor/leaflet/leaflet.js", here).href;
  var CLUSTER = new URL("../vendor/leaflet.markercluster/leaflet.markercluster.js", here).href;
  var ICONS = new URL("../vendor/leaflet/images/", here).href;
  var TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  var ATTRIBUTION =
    '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';
  var KOREA = [38.3, 127.5];

  var state = null; // the map currently set up: {el, map, clusters, entries, ...}
  var vendor = null; // Promise of window.L with markercluster, once asked for

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.async = false;
      script.onload = function () {
        resolve();
      };
      script.onerror = function () {
        reject(new Error("could not load " + src));
      };
      document.head.appendChild(script);
    });
  }

  function loadVendor() {
    if (window.L && window.L.MarkerClusterGroup) {
      return Promise.resolve(window.L);
    }
    if (!vendor) {
      vendor = (window.L ? Promise.resolve() : loadScript(LEAFLET))
        .then(function () {
          return window.L.MarkerClusterGroup ? null : loadScript(CLUSTER);
        })
        .then(function () {
          return window.L;
        });
      vendor.catch(function () {
        vendor = null; // try again on the next visit
      });
    }
    return vendor;
  }

  // Leaflet measures its container and reads its marker image path from CSS: wait for the
  // page's stylesheets (they load with the page, or after an instant navigation swap).
  function stylesheets(root) {
    var pending = Array.prototype.filter.call(
      root.querySelectorAll('link[rel="stylesheet"]'),
      function (link) {
        return !link.sheet;
      }
    );
    return Promise.all(
      pending.map(function (link) {
        return new Promise(function (resolve) {
          link.addEventListener("load", resolve, { once: true });
          link.addEventListener("error", resolve, { once: true });
          window.setTimeout(resolve, 5000);
        });
      })
    );
  }

  function loadData(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error(url + ": HTTP " + response.status);
      }
      return response.json();
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function briefLink(entry, className) {
    var link = element("a", className, entry.title);
    link.href = entry.url;
    return link;
  }

  function describe(entry) {
    return [entry.date, entry.typeLabel].filter(Boolean).join(" · ");
  }

  function popup(entry) {
    var box = element("div", "briefing-map-popup");
    var title = element("p", "briefing-map-popup__title");
    title.appendChild(briefLink(entry));
    box.appendChild(title);
    box.appendChild(element("p", "briefing-map-popup__meta", describe(entry)));
    if (entry.place) {
      box.appendChild(element("p", "briefing-map-popup__place", entry.place));
    }
    return box;
  }

  function clusterIcon(L) {
    return function (cluster) {
      var count = cluster.getChildCount();
      var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
      var html =
        "<div><span>" + count + '<span class="briefing-map-sr"> events</span></span></div>';
      return L.divIcon({
        html: html, // a number and fixed text only
        className: "marker-cluster marker-cluster-" + size,
        iconSize: L.point(40, 40),
      });
    };
  }

  function entriesFrom(data, root) {
    var features = data && Array.isArray(data.features) ? data.features : [];
    var entries = [];
    features.forEach(function (feature) {
      var p = feature.properties || {};
      var point = feature.geometry && feature.geometry.coordinates;
      var id = String(p.id || feature.id || "");
      if (!id || !Array.isArray(point) || typeof point[0] !== "number") {
        return;
      }
      entries.push({
        id: id,
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
        url: new URL("briefs/" + encodeURIComponent(id) + "/", root).href,
        marker: null,
      });
    });
    return entries;
  }

  function build(L, el, data, parts) {
    var root = new URL("../", parts.dataUrl).href; // /data/events.geojson -> site root
    var entries = entriesFrom(data, root);
    var map = L.map(el, { maxZoom: 18, scrollWheelZoom: false });
    L.tileLayer(TILES, { maxZoom: 18, attribution: ATTRIBUTION }).addTo(map);
    var icon = new L.Icon.Default({ imagePath: ICONS });
    var clusters = L.markerClusterGroup({
      maxClusterRadius: 50,
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      iconCreateFunction: clusterIcon(L),
    });
    entries.forEach(function (entry) {
      entry.marker = L.marker([entry.lat, entry.lon], {
        icon: icon,
        alt: entry.title,
        title: entry.title,
        riseOnHover: true,
      });
      entry.marker.bindPopup(
        function () {
          return popup(entry);
        },
        { maxWidth: 280 }
      );
    });
    clusters.addTo(map);
    if (entries.length) {
      var bounds = L.latLngBounds(
        entries.map(function (entry) {
          return [entry.lat, entry.lon];
        })
      );
      map.fitBounds(bounds.pad(0.3), { maxZoom: 7 });
    } else {
      map.setView(KOREA, 6);
    }
    var known = {};
    parts.form.querySelectorAll('input[name="type"]').forEach(function (input) {
      known[input.value] = true;
      var count = entries.filter(function (entry) {
        return entry.type === input.value;
      }).length;
      var label = parts.form.querySelector(
        '.briefing-map-type-count[data-type="' + CSS.escape(input.value) + '"]'
      );
      if (label) {
        label.textContent = "(" + count + ")";
      }
    });
    return {
      el: el,
      map: map,
      clusters: clusters,
      entries: entries,
      known: known,
      parts: parts,
    };
  }

  function apply(current) {
    var form = current.parts.form;
    var types = {};
    form.querySelectorAll('input[name="type"]').forEach(function (input) {
      types[input.value] = input.checked;
    });
    var year = form.querySelector('select[name="year"]').value;
    var shown = current.entries.filter(function (entry) {
      var typeOk = current.known[entry.type] ? types[entry.type] : true;
      return typeOk && (!year || entry.year === year);
    });
    current.clusters.clearLayers();
    current.clusters.addLayers(
      shown.map(function (entry) {
        return entry.marker;
      })
    );
    current.parts.count.textContent =
      shown.length + (shown.length === 1 ? " event" : " events") + " shown";
    var list = current.parts.list.querySelector("ul");
    list.replaceChildren.apply(
      list,
      shown.map(function (entry) {
        var item = element("li");
        item.appendChild(briefLink(entry));
        item.appendChild(document.createTextNode(", " + describe(entry)));
        return item;
      })
    );
  }

  function teardown() {
    if (state) {
      state.map.remove();
      state = null;
    }
  }

  function init() {
    var el = document.getElementById("map");
    if (state && state.el !== el) {
      teardown(); // the page with the old map was swapped out
    }
    if (!el || el.hasAttribute("data-state")) {
      return;
    }
    var data = document.querySelector("a.briefing-map-data");
    var parts = {
      dataUrl: data ? data.href : new URL("../data/events.geojson", document.baseURI).href,
      form: document.getElementById("map-filters"),
      count: document.getElementById("map-count"),
      list: document.getElementById("map-list"),
    };
    if (!parts.form || !parts.count || !parts.list) {
      return;
    }
    el.setAttribute("data-state", "loading");
    parts.count.hidden = false;
    el.hidden = false;
    var box = el.closest(".briefing-map") || document;
    Promise.all([loadVendor(), loadData(parts.dataUrl), stylesheets(box)])
      .then(function (loaded) {
        if (document.getElementById("map") !== el) {
          return; // navigated away meanwhile
        }
        teardown();
        state = build(loaded[0], el, loaded[1], parts);
        var current = state;
        parts.form.addEventListener("change", function () {
          apply(current);
        });
        parts.form.addEventListener("submit", function (event) {
          event.preventDefault();
          apply(current);
        });
        var reset = document.getElementById("map-reset");
        if (reset) {
          reset.addEventListener("click", function () {
            parts.form.querySelectorAll('input[name="type"]').forEach(function (input) {
              input.checked = true;
            });
            parts.form.querySelector('select[name="year"]').value = "";
            apply(current);
          });
        }
        apply(current);
        parts.form.hidden = false;
        parts.list.hidden = false;
        el.setAttribute("data-state", "ready");
        el.setAttribute("data-ready", "true");
      })
      .catch(function (error) {
        el.setAttribute("data-state", "error");
        parts.count.textContent =
          "The map could not be loaded (" + error.message + "). The events are in the data file.";
        if (window.console) {
          window.console.error(error);
        }
      });
  }

  function visibleIds() {
    if (!state) {
      return [];
    }
    return state.entries
      .filter(function (entry) {
        return state.clusters.hasLayer(entry.marker);
      })
      .map(function (entry) {
        return entry.id;
      });
  }

  // Zoom (and spiderfy) until the event's marker is on screen; resolves false when the event
  // is not shown (filtered out, or unknown) or the map did not get there within 10 seconds.
  function reveal(id) {
    return new Promise(function (resolve) {
      var entry =
        state &&
        state.entries.filter(function (e) {
          return e.id === id;
        })[0];
      if (!entry || !state.clusters.hasLayer(entry.marker)) {
        resolve(false);
        return;
      }
      var timer = window.setTimeout(function () {
        resolve(false);
      }, 10000);
      state.clusters.zoomToShowLayer(entry.marker, function () {
        window.clearTimeout(timer);
        resolve(true);
      });
    });
  }

  Object.defineProperty(window, INIT, { value: init });
  Object.defineProperty(window, "briefingMap", {
    value: Object.freeze({ visibleIds: visibleIds, reveal: reveal }),
  });

  function boot() {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(function () {
        init();
      });
    }
    init();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", boot, { once: true });
  } else {
    boot();
  }
})();
