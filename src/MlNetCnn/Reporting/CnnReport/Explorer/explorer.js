// MlNetCnn network explorer: plain JavaScript, no library, no network.
// Reads the JSON beside it, draws every conv layer's maps for the chosen image on canvases and, for the chosen unit,
// recomputes patch x kernel in float32 (Math.fround) from the embedded input and weights.
(function () {
  'use strict';
  var root = document.getElementById('explorer');
  var dataElement = document.getElementById('mlnetcnn-explorer-data');
  if (!root || !dataElement) return;
  var D = JSON.parse(dataElement.textContent);
  var f32 = Math.fround;
  var OUTLINE = [255, 0, 255];
  var HOVER = [0, 200, 255];

  function floats(b64) {
    var s = atob(b64), n = s.length, bytes = new Uint8Array(n);
    for (var i = 0; i < n; i++) bytes[i] = s.charCodeAt(i);
    return new Float32Array(bytes.buffer);
  }
  function bytes(b64) {
    var s = atob(b64), n = s.length, out = new Uint8Array(n);
    for (var i = 0; i < n; i++) out[i] = s.charCodeAt(i);
    return out;
  }
  function fmt(v) { return (Object.is(v, -0) ? 0 : v).toFixed(5); }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  D.images.forEach(function (im) { im.data = floats(im.pixels); delete im.pixels; });
  D.layers.forEach(function (L) {
    L.w = floats(L.weights); L.b = floats(L.bias);
    L.m = L.maps.map(floats);
    delete L.weights; delete L.bias; delete L.maps;
    if (L.top) L.top.channels.forEach(function (c) { c.px = bytes(c.crops); delete c.crops; });
    if (L.features) { L.features.px = bytes(L.features.crops); delete L.features.crops; }
  });

  var state = { image: 0, sel: null, hover: null, cursors: {} };
  var pooledCache = {};

  // The input of layer li for image i: the image itself, or the previous layer's post-ReLU maps after the 2x2 max-pool,
  // with the position each pooled value came from (first of equal values, as PyTorch's max_pool2d).
  function inputOf(li, i) {
    if (li === 0) return { C: D.inC, H: D.H, W: D.W, v: D.images[i].data, from: null };
    var key = li + ':' + i;
    if (pooledCache[key]) return pooledCache[key];
    var P = D.layers[li - 1], m = P.m[i], C = P.outC, pH = P.pH, pW = P.pW;
    var v = new Float32Array(C * pH * pW), from = new Int32Array(C * pH * pW);
    for (var c = 0; c < C; c++) for (var y = 0; y < pH; y++) for (var x = 0; x < pW; x++) {
      var best = -Infinity, at = -1;
      for (var dy = 0; dy < 2; dy++) for (var dx = 0; dx < 2; dx++) {
        var p = (2 * y + dy) * P.W + 2 * x + dx, val = m[c * P.H * P.W + p];
        if (val > best || at < 0) { best = val; at = p; }
      }
      v[(c * pH + y) * pW + x] = best; from[(c * pH + y) * pW + x] = at;
    }
    return (pooledCache[key] = { C: C, H: pH, W: pW, v: v, from: from, prevW: P.W });
  }

  // One unit's computation, in float32 and in a fixed order (channel, kernel row, kernel column).
  function compute(li, i, ch, r, c) {
    var L = D.layers[li], inp = inputOf(li, i), k = D.k, p = D.pad, cells = [], sum = 0;
    for (var ci = 0; ci < inp.C; ci++) for (var dy = 0; dy < k; dy++) for (var dx = 0; dx < k; dx++) {
      var y = r + dy - p, x = c + dx - p, inside = y >= 0 && y < inp.H && x >= 0 && x < inp.W, sy = y, sx = x, xv = 0;
      if (!inside && D.circular) { sy = ((y % inp.H) + inp.H) % inp.H; sx = ((x % inp.W) + inp.W) % inp.W; }
      var readable = inside || D.circular, idx = (ci * inp.H + sy) * inp.W + sx;
      if (readable) xv = inp.v[idx];
      var wv = L.w[((ch * inp.C + ci) * k + dy) * k + dx], prod = f32(xv * wv);
      sum = f32(sum + prod);
      cells.push({ ci: ci, dy: dy, dx: dx, y: y, x: x, sy: sy, sx: sx, pad: !inside, x_: xv, w: wv, p: prod,
        from: readable && inp.from ? inp.from[idx] : -1 });
    }
    var pre = f32(sum + L.b[ch]);
    return { cells: cells, sum: sum, bias: L.b[ch], pre: pre, value: pre > 0 ? pre : 0,
      map: L.m[i][(ch * L.H + r) * L.W + c], inp: inp };
  }

  function field(li, r, c) {
    var L = D.layers[li];
    return { r0: L.rowWin[r][0], r1: L.rowWin[r][1], c0: L.colWin[c][0], c1: L.colWin[c][1] };
  }

  // ---------- scaffold ----------
  var imagesBox = root.querySelector('.explorer-images');
  var inputBox = root.querySelector('.explorer-input');
  var layersBox = root.querySelector('.explorer-layers');
  var panel = root.querySelector('.explorer-panel');
  var summary = panel.querySelector('[data-role=summary]');
  var topBox = root.querySelector('.explorer-top');

  var inputScale = Math.max(1, Math.floor(224 / Math.max(D.H, D.W)));
  var inputCanvas = el('canvas', { id: 'explorer-input', width: D.W * inputScale, height: D.H * inputScale, role: 'img',
    'aria-label': 'The chosen input image; the receptive field of the chosen unit is outlined in magenta, of the unit under the pointer in cyan.' });
  inputBox.appendChild(inputCanvas);
  var inputCaption = el('p', { class: 'explorer-input-caption' });
  inputBox.appendChild(inputCaption);

  function rgbOf(data, C, H, W, y, x) {
    var plane = H * W, q = y * W + x;
    function g(c) { return Math.round(Math.min(1, Math.max(0, data[c * plane + q])) * 255); }
    return C === 3 ? [g(0), g(1), g(2)] : [g(0), g(0), g(0)];
  }

  function imageToCanvas(canvas, data, C, H, W, scale) {
    canvas.width = W * scale; canvas.height = H * scale;
    var ctx = canvas.getContext('2d'), img = ctx.createImageData(W * scale, H * scale), d = img.data;
    for (var y = 0; y < H * scale; y++) for (var x = 0; x < W * scale; x++) {
      var rgb = rgbOf(data, C, H, W, Math.floor(y / scale), Math.floor(x / scale)), o = (y * W * scale + x) * 4;
      d[o] = rgb[0]; d[o + 1] = rgb[1]; d[o + 2] = rgb[2]; d[o + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    return ctx;
  }

  // Four filled rectangles (no anti-aliasing) around input rows r0..r1, columns c0..c1, clipped to the image.
  function outline(ctx, f, H, W, scale, color, widthPx) {
    var r0 = Math.max(0, f.r0), r1 = Math.min(H - 1, f.r1), c0 = Math.max(0, f.c0), c1 = Math.min(W - 1, f.c1);
    if (r0 > r1 || c0 > c1) return;
    var x0 = c0 * scale, y0 = r0 * scale, x1 = (c1 + 1) * scale, y1 = (r1 + 1) * scale, t = Math.min(widthPx, Math.max(1, Math.floor((x1 - x0) / 2)), Math.max(1, Math.floor((y1 - y0) / 2)));
    ctx.fillStyle = 'rgb(' + color.join(',') + ')';
    ctx.fillRect(x0, y0, x1 - x0, t); ctx.fillRect(x0, y1 - t, x1 - x0, t);
    ctx.fillRect(x0, y0, t, y1 - y0); ctx.fillRect(x1 - t, y0, t, y1 - y0);
  }

  function drawInput() {
    var im = D.images[state.image];
    var ctx = imageToCanvas(inputCanvas, im.data, D.inC, D.H, D.W, inputScale);
    if (state.hover) outline(ctx, field(state.hover.li, state.hover.r, state.hover.c), D.H, D.W, inputScale, HOVER, 2);
    if (state.sel) {
      var f = field(state.sel.li, state.sel.r, state.sel.c);
      outline(ctx, f, D.H, D.W, inputScale, OUTLINE, 2);
      inputCanvas.setAttribute('data-rf', [f.r0, f.r1, f.c0, f.c1].join(','));
    } else inputCanvas.removeAttribute('data-rf');
    inputCaption.textContent = 'Image ' + (state.image + 1) + ' (test row ' + im.row + '; ' + im.caption + ')' +
      (state.sel ? '. Receptive field of ' + D.layers[state.sel.li].name + ' unit (' + state.sel.r + ', ' + state.sel.c + '): rows ' +
        Math.max(0, field(state.sel.li, state.sel.r, state.sel.c).r0) + '–' + Math.min(D.H - 1, field(state.sel.li, state.sel.r, state.sel.c).r1) +
        ', columns ' + Math.max(0, field(state.sel.li, state.sel.r, state.sel.c).c0) + '–' + Math.min(D.W - 1, field(state.sel.li, state.sel.r, state.sel.c).c1) + '.' : '.');
  }

  // ---------- image picker ----------
  var imageButtons = D.images.map(function (im, i) {
    var b = el('button', { type: 'button', id: 'explorer-image-' + (i + 1), class: 'explorer-image', 'aria-pressed': 'false',
      'aria-label': 'Image ' + (i + 1) + ': test row ' + im.row + ', ' + im.caption });
    var thumb = el('canvas', { 'aria-hidden': 'true' });
    imageToCanvas(thumb, im.data, D.inC, D.H, D.W, Math.max(1, Math.floor(48 / Math.max(D.H, D.W))));
    b.appendChild(thumb);
    b.appendChild(el('span', null, String(i + 1)));
    b.addEventListener('click', function () { chooseImage(i); });
    imagesBox.appendChild(b);
    return b;
  });

  // ---------- maps ----------
  var layerViews = D.layers.map(function (L, li) {
    var box = el('div', { class: 'explorer-layer', 'data-layer': L.name });
    box.appendChild(el('h4', null, L.name + ': ' + L.outC + ' maps of ' + L.H + '×' + L.W + ' (after ReLU, before pooling)'));
    var grid = el('div', { class: 'explorer-maps' });
    var scale = Math.max(2, Math.floor(112 / Math.max(L.H, L.W)));
    var canvases = [];
    for (var ch = 0; ch < L.outC; ch++) {
      var wrap = el('div', { class: 'explorer-map' });
      var cv = el('canvas', { width: L.W * scale, height: L.H * scale, tabindex: '0', role: 'img', 'data-layer': String(li), 'data-channel': String(ch),
        'aria-label': L.name + ' channel ' + ch + ', ' + L.H + ' by ' + L.W + ' units. Arrow keys move the cursor, Enter shows how the unit was computed.' });
      wrap.appendChild(cv);
      wrap.appendChild(el('span', { 'aria-hidden': 'true' }, 'ch ' + ch));
      grid.appendChild(wrap);
      canvases.push(cv);
      wireMap(cv, li, ch, L, scale);
    }
    box.appendChild(grid);
    layersBox.appendChild(box);
    return { canvases: canvases, scale: scale };
  });

  function unitAt(cv, L, e) {
    var rect = cv.getBoundingClientRect();
    var c = Math.floor((e.clientX - rect.left - cv.clientLeft) / cv.clientWidth * L.W), r = Math.floor((e.clientY - rect.top - cv.clientTop) / cv.clientHeight * L.H);
    return { r: Math.min(L.H - 1, Math.max(0, r)), c: Math.min(L.W - 1, Math.max(0, c)) };
  }

  function wireMap(cv, li, ch, L) {
    cv.addEventListener('click', function (e) {
      panel.setAttribute('data-input-at', e.timeStamp.toFixed(1));
      var u = unitAt(cv, L, e); select(li, ch, u.r, u.c, true);
    });
    cv.addEventListener('mousemove', function (e) {
      var u = unitAt(cv, L, e);
      if (state.hover && state.hover.li === li && state.hover.r === u.r && state.hover.c === u.c) return;
      setHover({ li: li, ch: ch, r: u.r, c: u.c });
    });
    cv.addEventListener('mouseleave', function () { setHover(null); });
    cv.addEventListener('focus', function () {
      var cur = state.cursors[li + ':' + ch] || (state.sel && state.sel.li === li ? { r: state.sel.r, c: state.sel.c } : { r: 0, c: 0 });
      state.cursors[li + ':' + ch] = cur;
      setHover({ li: li, ch: ch, r: cur.r, c: cur.c, key: true });
    });
    cv.addEventListener('blur', function () { if (state.hover && state.hover.key) setHover(null); });
    cv.addEventListener('keydown', function (e) {
      var cur = state.cursors[li + ':' + ch] || { r: 0, c: 0 }, moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
      if (moves[e.key]) {
        cur = { r: Math.min(L.H - 1, Math.max(0, cur.r + moves[e.key][0])), c: Math.min(L.W - 1, Math.max(0, cur.c + moves[e.key][1])) };
        state.cursors[li + ':' + ch] = cur;
        setHover({ li: li, ch: ch, r: cur.r, c: cur.c, key: true });
        e.preventDefault();
      } else if (e.key === 'Enter' || e.key === ' ') {
        select(li, ch, cur.r, cur.c, false);
        e.preventDefault();
      }
    });
  }

  function colour(t) {
    // white (0) to dark blue (max)
    t = Math.min(1, Math.max(0, t));
    return [Math.round(255 - 222 * t), Math.round(255 - 185 * t), Math.round(255 - 95 * t)];
  }

  function drawLayer(li) {
    var L = D.layers[li], view = layerViews[li], m = L.m[state.image], max = 0;
    for (var q = 0; q < m.length; q++) if (m[q] > max) max = m[q];
    for (var ch = 0; ch < L.outC; ch++) {
      var cv = view.canvases[ch], s = view.scale, ctx = cv.getContext('2d'), img = ctx.createImageData(L.W * s, L.H * s), d = img.data;
      for (var y = 0; y < L.H * s; y++) for (var x = 0; x < L.W * s; x++) {
        var v = m[(ch * L.H + Math.floor(y / s)) * L.W + Math.floor(x / s)], rgb = colour(max > 0 ? v / max : 0), o = (y * L.W * s + x) * 4;
        d[o] = rgb[0]; d[o + 1] = rgb[1]; d[o + 2] = rgb[2]; d[o + 3] = 255;
      }
      ctx.putImageData(img, 0, 0);
      if (state.hover && state.hover.li === li) mark(ctx, state.hover.r, state.hover.c, s, HOVER, state.hover.ch === ch ? 2 : 1);
      if (state.sel && state.sel.li === li) mark(ctx, state.sel.r, state.sel.c, s, state.sel.ch === ch ? OUTLINE : [200, 120, 200], state.sel.ch === ch ? 2 : 1);
    }
  }

  function mark(ctx, r, c, s, color, w) {
    var pad = Math.max(1, Math.floor(s / 2));
    ctx.strokeStyle = 'rgb(' + color.join(',') + ')';
    ctx.lineWidth = w;
    ctx.strokeRect(c * s - pad + 0.5, r * s - pad + 0.5, s + 2 * pad - 1, s + 2 * pad - 1);
  }

  function setHover(h) {
    var old = state.hover;
    state.hover = h;
    if (old) drawLayer(old.li);
    if (h && (!old || old.li !== h.li)) drawLayer(h.li);
    drawInput();
  }

  function chooseImage(i) {
    state.image = i;
    imageButtons.forEach(function (b, j) { b.setAttribute('aria-pressed', j === i ? 'true' : 'false'); });
    D.layers.forEach(function (_, li) { drawLayer(li); });
    drawInput();
    if (state.sel) renderPanel();
  }

  function select(li, ch, r, c, fromPointer) {
    state.sel = { li: li, ch: ch, r: r, c: c };
    state.cursors[li + ':' + ch] = { r: r, c: c };
    D.layers.forEach(function (_, l) { drawLayer(l); });
    drawInput();
    renderPanel();
    renderTop();
    if (!fromPointer) layerViews[li].canvases[ch].focus({ preventScroll: true });
  }

  // ---------- the computation panel ----------
  function renderPanel() {
    var s = state.sel, L = D.layers[s.li], res = compute(s.li, state.image, s.ch, s.r, s.c), k = D.k;
    var prevName = s.li > 0 ? D.layers[s.li - 1].name : null;
    panel.setAttribute('data-layer', L.name); panel.setAttribute('data-channel', s.ch);
    panel.setAttribute('data-row', s.r); panel.setAttribute('data-col', s.c); panel.setAttribute('data-image', state.image);
    var padded = res.cells.filter(function (x) { return x.pad; }).length;
    summary.textContent = L.name + ', channel ' + s.ch + ', row ' + s.r + ', column ' + s.c + ' of image ' + (state.image + 1) + ': ' +
      res.cells.length + ' products (input ' + res.inp.C + '×' + k + '×' + k + (padded ? ', ' + padded + ' in the padding' : '') + ') sum to ' + fmt(res.sum) +
      '; plus bias ' + fmt(res.bias) + ' gives the pre-activation ' + fmt(res.pre) + '; ReLU gives ' + fmt(res.value) +
      ' (the model\'s map value: ' + fmt(res.map) + ').';
    while (panel.childNodes.length > 1) panel.removeChild(panel.lastChild);

    var steps = el('dl', { class: 'explorer-steps' });
    [['Σ products', 'sum', res.sum], ['+ bias', 'bias', res.bias], ['= pre-activation', 'pre', res.pre], ['ReLU: max(0, pre-activation)', 'value', res.value],
      ['map value (model output)', 'map-value', res.map]].forEach(function (row) {
      steps.appendChild(el('dt', null, row[0]));
      steps.appendChild(el('dd', { 'data-role': row[1] }, fmt(row[2])));
    });
    panel.appendChild(steps);
    panel.appendChild(el('p', { class: 'explorer-note' }, s.li === 0
      ? 'Input patch: pixel values of each input channel under the kernel' + (D.circular ? ' (outside the image the map wraps around: "wrap").' : ' (outside the image: zero padding, "pad").')
      : 'Input patch: ' + prevName + '\'s maps after ReLU and the 2×2 max-pool. Each value is the largest of a 2×2 window of ' + prevName +
        '; the small text says which unit won. Click a value to go to that unit of ' + prevName + '.'));

    var grid = el('div', { class: 'explorer-terms' });
    var max = 0;
    res.cells.forEach(function (x) { max = Math.max(max, Math.abs(x.p)); });
    for (var ci = 0; ci < res.inp.C; ci++) {
      var name = s.li === 0 ? D.channelNames[ci] : prevName + ' ch ' + ci;
      var group = el('div', { class: 'explorer-term', 'data-in-channel': String(ci) });
      group.appendChild(el('h5', null, name));
      var part = res.cells.slice(ci * k * k, (ci + 1) * k * k);
      group.appendChild(table('input', part, function (x) { return patchCell(x, s, res); }, k));
      group.appendChild(table('kernel', part, function (x) { var td = el('td', null, x.w.toFixed(3)); td.style.background = diverging(x.w, maxAbs(L.w)); return td; }, k));
      group.appendChild(table('products', part, function (x) { var td = el('td', { 'data-role': 'product' }, x.p.toFixed(4)); td.style.background = diverging(x.p, max); return td; }, k));
      grid.appendChild(group);
    }
    panel.appendChild(grid);
    panel.setAttribute('data-rendered-at', performance.now().toFixed(1));
  }

  var maxAbsCache = new Map();
  function maxAbs(arr) {
    if (maxAbsCache.has(arr)) return maxAbsCache.get(arr);
    var m = 0;
    for (var i = 0; i < arr.length; i++) m = Math.max(m, Math.abs(arr[i]));
    maxAbsCache.set(arr, m);
    return m;
  }

  function diverging(v, max) {
    var t = max > 0 ? Math.min(1, Math.abs(v) / max) : 0, a = (0.08 + 0.55 * t).toFixed(2);
    return v >= 0 ? 'rgba(214, 39, 40, ' + a + ')' : 'rgba(31, 119, 180, ' + a + ')';
  }

  function table(caption, cells, cell, k) {
    var t = el('table', { class: 'explorer-grid', 'data-role': caption });
    t.appendChild(el('caption', null, caption));
    for (var dy = 0; dy < k; dy++) {
      var tr = el('tr');
      for (var dx = 0; dx < k; dx++) tr.appendChild(cell(cells[dy * k + dx]));
      t.appendChild(tr);
    }
    return t;
  }

  function patchCell(x, s, res) {
    var td = el('td', { 'data-role': 'patch', 'data-y': String(x.y), 'data-x': String(x.x) });
    if (x.pad && !D.circular) { td.className = 'pad'; td.textContent = '0 pad'; td.title = 'row ' + x.y + ', column ' + x.x + ': outside the input, zero padding'; return td; }
    var where = (x.pad ? 'wrapped to ' : '') + 'row ' + x.sy + ', column ' + x.sx;
    if (s.li === 0) {
      td.textContent = x.x_.toFixed(3) + (x.pad ? ' wrap' : '');
      td.title = D.channelNames[x.ci] + ' pixel at ' + where;
      if (x.pad) td.className = 'pad';
      return td;
    }
    var P = D.layers[s.li - 1], fr = Math.floor(x.from / P.W), fc = x.from % P.W;
    var b = el('button', { type: 'button', class: 'trace', 'data-trace': x.ci + ',' + fr + ',' + fc,
      'aria-label': 'Pooled value ' + x.x_.toFixed(4) + ' at ' + where + ', from the 2×2 window rows ' + (2 * x.sy) + '–' + (2 * x.sy + 1) + ', columns ' +
        (2 * x.sx) + '–' + (2 * x.sx + 1) + ' of ' + P.name + ' channel ' + x.ci + '; the winner is unit (' + fr + ', ' + fc + '). Press to go there.' });
    b.appendChild(el('span', null, x.x_.toFixed(3) + (x.pad ? ' wrap' : '')));
    b.appendChild(el('small', null, '← (' + fr + ',' + fc + ')'));
    b.title = 'max of ' + P.name + ' ch ' + x.ci + ' rows ' + (2 * x.sy) + '–' + (2 * x.sy + 1) + ', cols ' + (2 * x.sx) + '–' + (2 * x.sx + 1) + '; won by (' + fr + ', ' + fc + ')';
    b.addEventListener('click', function () { select(s.li - 1, x.ci, fr, fc, false); });
    b.addEventListener('mouseenter', function () { setHover({ li: s.li - 1, ch: x.ci, r: fr, c: fc }); });
    b.addEventListener('mouseleave', function () { setHover(null); });
    td.appendChild(b);
    return td;
  }

  // ---------- what the channel responds to ----------
  function renderTop() {
    var s = state.sel, L = D.layers[s.li];
    while (topBox.firstChild) topBox.removeChild(topBox.firstChild);
    topBox.appendChild(el('h4', null, 'What ' + L.name + ' channel ' + s.ch + ' responds to'));
    if (L.features) renderFeature(L.features, s.ch);
    if (!L.top) { topBox.appendChild(el('p', null, 'The top test images were not searched for this layer.')); return; }
    var t = L.top, ch = t.channels[s.ch], side = t.side, C = D.inC, n = ch.rows.length, scale = Math.max(2, Math.floor(72 / side));
    topBox.setAttribute('data-layer', L.name); topBox.setAttribute('data-channel', String(s.ch));
    topBox.appendChild(el('p', null, 'The ' + n + ' test images (of ' + t.searched + ' scanned) whose strongest ' + L.name + ' unit in channel ' + s.ch +
      ' is highest, cropped to that unit\'s ' + side + '×' + side + ' receptive field (outside the image: black).'));
    var row = el('div', { class: 'explorer-crops' });
    for (var j = 0; j < n; j++) {
      var fig = el('figure', { class: 'explorer-crop' });
      var cv = el('canvas', { role: 'img', 'aria-label': 'Test row ' + ch.rows[j] + ', activation ' + ch.values[j].toFixed(3) });
      var plane = side * side, data = new Float32Array(C * plane), off = j * C * plane;
      for (var q = 0; q < C * plane; q++) data[q] = ch.px[off + q] / 255;
      imageToCanvas(cv, data, C, side, side, scale);
      fig.appendChild(cv);
      fig.appendChild(el('figcaption', null, 'row ' + ch.rows[j] + ': ' + ch.values[j].toFixed(3)));
      row.appendChild(fig);
    }
    topBox.appendChild(row);
  }

  // The channel's optimized picture (feature visualization), cut to its unit's receptive field, beside its top crops.
  function renderFeature(F, ch) {
    var side = F.side, C = D.inC, plane = side * side, data = new Float32Array(C * plane), off = ch * C * plane;
    for (var q = 0; q < C * plane; q++) data[q] = F.px[off + q] / 255;
    var fig = el('figure', { class: 'explorer-crop explorer-feature', 'data-channel': String(ch) });
    var cv = el('canvas', { role: 'img', 'aria-label': 'Optimized picture, activation ' + F.values[ch].toFixed(3) });
    imageToCanvas(cv, data, C, side, side, Math.max(2, Math.floor(72 / side)));
    fig.appendChild(cv);
    fig.appendChild(el('figcaption', null, 'optimized picture: ' + F.values[ch].toFixed(3)));
    topBox.appendChild(fig);
  }

  // ---------- start ----------
  function fromHash() {
    var m = /^#explorer-image-(\d+)$/.exec(location.hash);
    if (!m) return false;
    var i = parseInt(m[1], 10) - 1;
    if (i < 0 || i >= D.images.length) return false;
    chooseImage(i);
    return true;
  }
  window.addEventListener('hashchange', fromHash);
  if (!fromHash()) chooseImage(0);
  window.mlnetcnnExplorer = { select: function (li, ch, r, c) { select(li, ch, r, c, true); }, chooseImage: chooseImage, compute: compute };
  root.setAttribute('data-ready', 'true');
  if (window.performance && performance.mark) performance.mark('mlnetcnn-explorer-ready');
})();
