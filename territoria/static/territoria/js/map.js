// Maps on [data-territoria-map] elements (Leaflet, vendored). Points come from GeoJSON,
// inline (data-geojson-id: the id of a json_script) or fetched (data-geojson-url; with
// data-bbox the visible box is sent as ?bbox=west,south,east,north on every move, so
// the server returns a bounded payload). data-cluster groups nearby points.
// A picker (data-territoria-map-pick) fills the inputs named by data-lat-input and
// data-lon-input on click; a button [data-territoria-locate="<map id>"] uses the
// device's position. Everything the map shows is also available without it.
// Device states (ok, warn, alert) get a shape and a glyph as well as a colour, the same
// as the legend's (.map-symbol-*); a cluster wears its worst state and alerts stay
// out of clusters, above them.
(() => {
  const COLOURS = {
    ok: "#15803d",
    warn: "#b45309",
    alert: "#b91c1c",
    closed: "#6b7280",
    new: "#1f5fa8",
  };
  const SYMBOLS = { ok: "✓", warn: "?", alert: "!" };
  const RANK = { ok: 0, warn: 1, alert: 2 };
  const ALERT_PANE = "territoria-alerts";

  // The glyph is hidden from screen readers, which read the device's name and state.
  function symbolIcon(state, properties) {
    const html = document.createElement("span");
    const glyph = html.appendChild(document.createElement("span"));
    glyph.setAttribute("aria-hidden", "true");
    glyph.textContent = SYMBOLS[state];
    const name = html.appendChild(document.createElement("span"));
    name.className = "visually-hidden";
    name.textContent = [properties.title, properties.label].filter(Boolean).join(" — ");
    return L.divIcon({
      className: `map-symbol map-symbol-${state}`,
      html,
      iconSize: [24, 24],
      iconAnchor: [12, 12],
      popupAnchor: [0, -12],
    });
  }

  function clusterIcon(cluster) {
    const states = cluster.getAllChildMarkers().map((marker) => marker.options.state);
    const known = states.filter((state) => state in RANK);
    if (!known.length) return L.MarkerClusterGroup.prototype._defaultIconCreateFunction(cluster);
    const worst = known.reduce((a, b) => (RANK[b] > RANK[a] ? b : a));
    return L.divIcon({
      className: `map-symbol map-symbol-cluster map-symbol-${worst}`,
      html: String(cluster.getChildCount()),
      iconSize: [34, 34],
    });
  }

  function tiles(map) {
    const meta = document.querySelector('meta[name="territoria-map-tiles"]');
    if (!meta) return;
    L.tileLayer(meta.content, {
      maxZoom: 19,
      attribution: "© OpenStreetMap",
    }).addTo(map);
  }

  function popup(properties) {
    const box = document.createElement("div");
    const title = document.createElement(properties.url ? "a" : "strong");
    title.textContent = properties.title || "";
    if (properties.url) title.href = properties.url;
    box.appendChild(title);
    if (properties.label) {
      const label = document.createElement("p");
      label.textContent = properties.label;
      box.appendChild(label);
    }
    return box;
  }

  function layerFor(geojson) {
    return L.geoJSON(geojson, {
      pointToLayer: (feature, latlng) => {
        const { state } = feature.properties || {};
        if (state in SYMBOLS) {
          return L.marker(latlng, {
            icon: symbolIcon(state, feature.properties),
            state,
            pane: state === "alert" ? ALERT_PANE : "markerPane",
          });
        }
        return L.circleMarker(latlng, {
          radius: 7,
          weight: 2,
          color: "#fff",
          fillOpacity: 0.9,
          fillColor: COLOURS[state] || COLOURS.new,
        });
      },
      onEachFeature: (feature, layer) => layer.bindPopup(popup(feature.properties || {})),
    });
  }

  function center(element) {
    const [lat, lon] = (element.dataset.center || "46.6,2.5").split(",").map(Number);
    return [[lat, lon], Number(element.dataset.zoom || 6)];
  }

  function showPoints(element, map) {
    const clustered = element.hasAttribute("data-cluster");
    const group = clustered
      ? L.markerClusterGroup({ chunkedLoading: true, iconCreateFunction: clusterIcon })
      : L.featureGroup();
    group.addTo(map);
    map.createPane(ALERT_PANE).style.zIndex = 650;
    const above = L.featureGroup().addTo(map);
    let fitted = element.hasAttribute("data-center");
    const draw = (geojson) => {
      group.clearLayers();
      above.clearLayers();
      layerFor(geojson).eachLayer((layer) =>
        (clustered && layer.options.state === "alert" ? above : group).addLayer(layer)
      );
      if (!fitted && group.getLayers().length + above.getLayers().length) {
        const bounds = L.latLngBounds([]);
        [group, above].forEach((layers) => layers.getLayers().length && bounds.extend(layers.getBounds()));
        map.fitBounds(bounds, { maxZoom: 16, padding: [20, 20] });
        fitted = true;
      }
      element.dispatchEvent(new CustomEvent("territoria:map-loaded", { detail: geojson }));
    };
    if (element.dataset.geojsonId) {
      const source = document.getElementById(element.dataset.geojsonId);
      if (source) draw(JSON.parse(source.textContent));
    }
    if (element.dataset.geojsonUrl) {
      const load = () => {
        const url = new URL(element.dataset.geojsonUrl, window.location.href);
        if (element.hasAttribute("data-bbox") && fitted) {
          url.searchParams.set("bbox", map.getBounds().toBBoxString());
        }
        fetch(url, { headers: { Accept: "application/geo+json, application/json" } })
          .then((response) => (response.ok ? response.json() : null))
          .then((geojson) => geojson && draw(geojson));
      };
      load();
      if (element.hasAttribute("data-bbox")) map.on("moveend", load);
    }
  }

  function picker(element, map) {
    const lat = document.getElementById(element.dataset.latInput);
    const lon = document.getElementById(element.dataset.lonInput);
    if (!lat || !lon) return;
    let marker = null;
    const place = (latlng, fill) => {
      if (marker) marker.setLatLng(latlng);
      // A vector marker: Leaflet's image icons cannot find their files once hashed.
      else marker = L.circleMarker(latlng, { radius: 10, weight: 3, color: "#111", fillColor: "#c2410c", fillOpacity: 0.9 }).addTo(map);
      if (fill) {
        lat.value = latlng.lat.toFixed(6);
        lon.value = latlng.lng.toFixed(6);
        [lat, lon].forEach((input) => input.dispatchEvent(new Event("change", { bubbles: true })));
      }
    };
    const fromInputs = () => {
      const value = [parseFloat(lat.value), parseFloat(lon.value)];
      if (value.every(Number.isFinite)) {
        place(L.latLng(value), false);
        map.setView(value, Math.max(map.getZoom(), 16));
      }
    };
    map.on("click", (event) => place(event.latlng, true));
    [lat, lon].forEach((input) => input.addEventListener("input", fromInputs));
    fromInputs();
    document.querySelectorAll(`[data-territoria-locate="${element.id}"]`).forEach((button) => {
      button.hidden = !navigator.geolocation;
      button.addEventListener("click", () => {
        const status = document.getElementById(button.dataset.statusId || "");
        navigator.geolocation.getCurrentPosition(
          (position) => {
            const latlng = L.latLng(position.coords.latitude, position.coords.longitude);
            place(latlng, true);
            map.setView(latlng, 17);
            if (status) status.textContent = button.dataset.foundText || "";
          },
          () => {
            if (status) status.textContent = button.dataset.errorText || "";
          },
          { enableHighAccuracy: true, timeout: 10000 }
        );
      });
    });
  }

  function init(element) {
    if (typeof L === "undefined" || element.dataset.ready) return;
    element.dataset.ready = "1";
    const [latlng, zoom] = center(element);
    const map = L.map(element, { preferCanvas: true, maxZoom: 19 }).setView(latlng, zoom);
    tiles(map);
    showPoints(element, map);
    if (element.hasAttribute("data-territoria-map-pick")) picker(element, map);
    element.territoriaMap = map;
  }

  const start = (root) =>
    (root.querySelectorAll ? root : document)
      .querySelectorAll("[data-territoria-map]")
      .forEach(init);
  document.addEventListener("DOMContentLoaded", () => start(document));
  document.addEventListener("htmx:afterSettle", (event) => start(event.target));
})();
