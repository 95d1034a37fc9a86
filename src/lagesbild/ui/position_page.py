# ruff: noqa: E501  (the page below is HTML and JavaScript, not Python)
"""The page of the position component (see ui/position.py), kept as Python text so that it
ships inside the package. Plain JavaScript speaking Streamlit's component messages; nothing is
loaded from the network except the optional map tiles.

Two modes:
- "locate": a button "Använd min position"; the browser's geolocation answers with
  {kind: "position", lat, lon, accuracy} or {kind: "error", code} (1 = denied).
- "map": the municipality (land on a calm sea), areas with their names, places with their
  names when zoomed in, tiles under them when they load, the chosen point. A click (not a
  drag) answers {kind: "click", lat, lon} with the exact position clicked. Wheel or the
  +/− buttons zoom, dragging pans.
Every answer carries a running number `n`, so two clicks on the same spot both count."""

HTML = r"""<!doctype html>
<html lang="sv"><head><meta charset="utf-8">
<style>
 body { margin: 0; font-family: "Source Sans Pro", Arial, sans-serif; color: #212529; }
 button { font: inherit; font-size: 0.95rem; padding: 0.35rem 0.8rem; border-radius: 0.5rem;
   border: 1px solid #a8b3bd; background: #fff; color: #212529; cursor: pointer; }
 button:hover, button:focus-visible { border-color: #0b5cad; color: #0b5cad; }
 #wrap { position: relative; border-radius: 0.5rem; overflow: hidden; border: 1px solid #c8d0d7; }
 svg { display: block; width: 100%; touch-action: none; cursor: crosshair; background: #D5E3EC; }
 #zoom { position: absolute; right: 8px; top: 8px; display: flex; flex-direction: column; gap: 4px; }
 #zoom button { width: 2rem; padding: 0.1rem; font-weight: 700; }
 .area-name { fill: #1F618D; font-weight: 700; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
 .place-name { fill: #212529; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
 #status { font-size: 0.9rem; margin-left: 0.6rem; }
</style></head>
<body><div id="root"></div>
<script>
const SVGNS = "http://www.w3.org/2000/svg";
let args = null, counter = 0, built = false;
function send(type, extra) { window.parent.postMessage(Object.assign({isStreamlitMessage: true, type}, extra), "*"); }
function answer(value) { counter += 1; value.n = Date.now() + "-" + counter; send("streamlit:setComponentValue", {value, dataType: "json"}); }
function height(h) { send("streamlit:setFrameHeight", {height: h}); }

function locate(root) {
  const b = document.createElement("button");
  b.textContent = "Använd min position";
  const s = document.createElement("span"); s.id = "status"; s.setAttribute("role", "status");
  b.onclick = () => {
    if (!navigator.geolocation) { answer({kind: "error", code: 0}); return; }
    s.textContent = "Hämtar position …";
    navigator.geolocation.getCurrentPosition(
      p => { s.textContent = ""; answer({kind: "position", lat: p.coords.latitude, lon: p.coords.longitude, accuracy: p.coords.accuracy}); },
      e => { s.textContent = ""; answer({kind: "error", code: e.code}); },
      {enableHighAccuracy: true, timeout: 20000, maximumAge: 0});
  };
  root.append(b, s); height(48);
}

// Web Mercator in "world pixels" at zoom 0 (the world is 256 wide)
const X = lon => (lon + 180) / 360 * 256;
const Y = lat => { const s = Math.sin(lat * Math.PI / 180); return (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * 256; };
const LON = x => x / 256 * 360 - 180;
const LAT = y => { const n = Math.PI - 2 * Math.PI * y / 256; return 180 / Math.PI * Math.atan(Math.sinh(n)); };
function el(name, attrs, parent) { const e = document.createElementNS(SVGNS, name); for (const k in attrs) e.setAttribute(k, attrs[k]); if (parent) parent.append(e); return e; }
function rings(g) {
  if (!g) return [];
  if (g.type === "FeatureCollection") return g.features.flatMap(f => rings(f.geometry));
  if (g.type === "Feature") return rings(g.geometry);
  if (g.type === "Polygon") return g.coordinates;
  if (g.type === "MultiPolygon") return g.coordinates.flat();
  return [];
}
const pathOf = g => rings(g).map(r => "M" + r.map(p => X(p[0]).toFixed(5) + "," + Y(p[1]).toFixed(5)).join("L") + "Z").join("");

function map(root) {
  const h = args.height || 360;
  root.innerHTML = '<div id="wrap"><svg id="svg" role="img" aria-label="Karta: klicka för att välja punkt"></svg><div id="zoom"><button id="in" aria-label="Zooma in">+</button><button id="out" aria-label="Zooma ut">−</button></div></div>';
  const svg = document.getElementById("svg"); svg.style.height = h + "px";
  const land = el("g", {}, svg), tiles = el("g", {}, svg), ground = el("g", {}, svg), labels = el("g", {}, svg), top = el("g", {}, svg);
  // sea (the svg's background), land, then tiles: tiles that load cover both, failed ones are removed
  if (args.boundary) el("path", {d: pathOf(args.boundary), fill: "#F4F1E8", stroke: "none"}, land);
  for (const a of args.areas) el("path", {d: pathOf(a.geojson), fill: "rgba(31,97,141,0.08)", stroke: "#1F618D", "vector-effect": "non-scaling-stroke", "stroke-width": 2}, ground);
  if (args.boundary) el("path", {d: pathOf(args.boundary), fill: "none", stroke: "#282828", "vector-effect": "non-scaling-stroke", "stroke-width": 2}, ground);
  const frame = b => ({x: X(b[0]), y: Y(b[3]), w: X(b[2]) - X(b[0]), h: Y(b[1]) - Y(b[3])});
  let view = frame(args.box), lastBox = JSON.stringify(args.box), lastSel = JSON.stringify(args.selected);
  let marker = null;
  function draw() {
    const W = svg.clientWidth || 600, H = h;
    // keep the aspect of the element: grow the shorter side around the centre
    const scale = Math.max(view.w / W, view.h / H), cx = view.x + view.w / 2, cy = view.y + view.h / 2;
    const vw = W * scale, vh = H * scale, vx = cx - vw / 2, vy = cy - vh / 2;
    svg.setAttribute("viewBox", [vx, vy, vw, vh].join(" "));
    const px = 1 / scale; // screen pixels per world unit
    labels.innerHTML = "";
    for (const a of args.areas) if (a.lat != null) { const t = el("text", {x: X(a.lon), y: Y(a.lat), "font-size": 15 / px, "text-anchor": "middle", class: "area-name"}, labels); t.style.strokeWidth = 3 / px; t.textContent = a.name; }
    const zoom = Math.log2(px);
    for (const p of args.places) {
      const c = el("circle", {cx: X(p.lon), cy: Y(p.lat), r: 3 / px, fill: "#fff", stroke: "#3c3c3c", "stroke-width": 1 / px}, labels);
      if (zoom >= 13) { const t = el("text", {x: X(p.lon), y: Y(p.lat) - 6 / px, "font-size": 13 / px, "text-anchor": "middle", class: "place-name"}, labels); t.style.strokeWidth = 3 / px; t.textContent = p.name; }
    }
    top.innerHTML = "";
    if (marker) el("circle", {cx: X(marker[1]), cy: Y(marker[0]), r: 7 / px, fill: "#C0392B", stroke: "#fff", "stroke-width": 2 / px}, top);
    tiles.innerHTML = "";
    if (args.tiles) {
      const z = Math.max(0, Math.min(19, Math.round(zoom))), n = 2 ** z, size = 256 / n;
      for (let tx = Math.floor(vx / size); tx <= Math.floor((vx + vw) / size); tx++)
        for (let ty = Math.floor(vy / size); ty <= Math.floor((vy + vh) / size); ty++) {
          if (ty < 0 || ty >= n) continue;
          const url = args.tiles.replace("{z}", z).replace("{x}", ((tx % n) + n) % n).replace("{y}", ty);
          const im = el("image", {href: url, x: tx * size, y: ty * size, width: size, height: size, preserveAspectRatio: "none"}, tiles);
          im.addEventListener("error", () => im.remove());
        }
    }
  }
  function toWorld(ev) { const r = svg.getBoundingClientRect(), vb = svg.viewBox.baseVal; return [vb.x + (ev.clientX - r.left) / r.width * vb.width, vb.y + (ev.clientY - r.top) / r.height * vb.height]; }
  function zoomBy(f, at) { const c = at || [view.x + view.w / 2, view.y + view.h / 2]; view = {x: c[0] - (c[0] - view.x) / f, y: c[1] - (c[1] - view.y) / f, w: view.w / f, h: view.h / f}; draw(); }
  svg.addEventListener("wheel", ev => { ev.preventDefault(); zoomBy(ev.deltaY < 0 ? 1.5 : 1 / 1.5, toWorld(ev)); }, {passive: false});
  document.getElementById("in").onclick = () => zoomBy(2);
  document.getElementById("out").onclick = () => zoomBy(0.5);
  let down = null;
  svg.addEventListener("pointerdown", ev => { down = {x: ev.clientX, y: ev.clientY, view: Object.assign({}, view), moved: false}; svg.setPointerCapture(ev.pointerId); });
  svg.addEventListener("pointermove", ev => {
    if (!down) return; const dx = ev.clientX - down.x, dy = ev.clientY - down.y;
    if (Math.abs(dx) + Math.abs(dy) > 5) down.moved = true;
    if (down.moved) { const r = svg.getBoundingClientRect(), vb = svg.viewBox.baseVal, k = vb.width / r.width; view = Object.assign({}, down.view, {x: down.view.x - dx * k, y: down.view.y - dy * k}); draw(); }
  });
  svg.addEventListener("pointerup", ev => {
    const was = down; down = null; if (!was || was.moved) return;
    const [wx, wy] = toWorld(ev); marker = [LAT(wy), LON(wx)]; draw();
    answer({kind: "click", lat: marker[0], lon: marker[1]});
  });
  marker = args.selected || null;
  window.lbUpdate = a => {
    // a new search or typed coordinates: follow them; otherwise keep the user's own view
    if (JSON.stringify(a.box) !== lastBox) { lastBox = JSON.stringify(a.box); view = frame(a.box); }
    if (JSON.stringify(a.selected) !== lastSel) { lastSel = JSON.stringify(a.selected); marker = a.selected || null; }
    draw();
  };
  draw(); height(h + 4);
  new ResizeObserver(draw).observe(svg);
}

window.addEventListener("message", ev => {
  if (!ev.data || ev.data.type !== "streamlit:render") return;
  args = ev.data.args;
  if (built) { if (args.mode === "map" && window.lbUpdate) window.lbUpdate(args); return; }
  built = true;
  const root = document.getElementById("root");
  if (args.mode === "map") map(root); else locate(root);
});
send("streamlit:componentReady", {apiVersion: 1});
</script></body></html>
"""
