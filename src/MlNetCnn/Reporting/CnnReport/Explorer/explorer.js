// MlNetCnn network explorer: plain JavaScript, no library, no network.
// Reads the JSON beside it and runs the whole network in the page (conv -> ReLU -> 2x2 max-pool per block, then
// flatten C,H,W -> fc1 -> ReLU -> fc2 -> softmax) from the embedded float32 weights, so the learner's own picture,
// brush strokes, shifts and kernel edits recompute every map and the prediction. For the chosen unit the panel
// recomputes patch x kernel in float32 (Math.fround) in a fixed order.
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
  // The shortest decimal that reads back as the same float32 (the weights are float32; String(v) would print the
  // float64 digits of the float32 value, "0.30000001192092896" for 0.3f).
  function shortestFloat32(v) {
    for (var p = 1; p <= 9; p++) { var t = Number(v.toPrecision(p)); if (Math.fround(t) === v) return String(t); }
    return String(v);
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function clear(node, keep) { while (node.childNodes.length > (keep || 0)) node.removeChild(node.lastChild); }

  D.images.forEach(function (im) { im.data = floats(im.pixels); delete im.pixels; });
  D.layers.forEach(function (L) {
    L.w = floats(L.weights); L.b = floats(L.bias);
    L.w0 = L.w.slice(); L.b0 = L.b.slice(); // the trained weights, for "reset"
    L.m = L.maps.map(floats);               // the model's own maps of the report's images (libtorch, at build time)
    delete L.weights; delete L.bias; delete L.maps;
    if (L.top) {
      L.top.channels.forEach(function (c) {
        c.px = bytes(c.crops); delete c.crops;
        // Dead: 0 at every unit of every scanned test image (the library's maximum over all of them).
        c.dead = !(c.max > 0);
      });
    }
    if (L.features) { L.features.px = bytes(L.features.crops); delete L.features.crops; }
  });
  [D.fc1, D.fc2].forEach(function (F) { F.w = floats(F.weights); F.b = floats(F.bias); delete F.weights; delete F.bias; });

  // ---------- the forward pass ----------
  // Products of two float32 are exact in float64; each sum is accumulated in float64 and rounded to float32 once when
  // stored (Float32Array), which is within float32 rounding of the exact sum -- libtorch's float32 sums differ from it
  // by their own rounding (about 1e-7 relative).
  function padded(x, C, H, W, p, circular) {
    var PH = H + 2 * p, PW = W + 2 * p, out = new Float32Array(C * PH * PW);
    for (var c = 0; c < C; c++) for (var y = 0; y < PH; y++) {
      var sy = y - p;
      if (sy < 0 || sy >= H) { if (!circular) continue; sy = ((sy % H) + H) % H; }
      var src = (c * H + sy) * W, dst = (c * PH + y) * PW;
      for (var xx = 0; xx < PW; xx++) {
        var sx = xx - p;
        if (sx < 0 || sx >= W) { if (!circular) continue; sx = ((sx % W) + W) % W; }
        out[dst + xx] = x[src + sx];
      }
    }
    return out;
  }

  function convLayer(x, C, H, W, L) {
    var k = D.k, p = D.pad, PH = H + 2 * p, PW = W + 2 * p, xp = padded(x, C, H, W, p, D.circular), HW = H * W;
    var pre = new Float32Array(L.outC * HW), post = new Float32Array(L.outC * HW), acc = new Float64Array(HW), w = L.w;
    for (var oc = 0; oc < L.outC; oc++) {
      acc.fill(0);
      for (var ci = 0; ci < C; ci++) for (var dy = 0; dy < k; dy++) for (var dx = 0; dx < k; dx++) {
        var wv = w[((oc * C + ci) * k + dy) * k + dx];
        if (wv === 0) continue;
        var base = (ci * PH + dy) * PW + dx;
        for (var y = 0; y < H; y++) {
          var row = base + y * PW, o = y * W;
          for (var xx = 0; xx < W; xx++) acc[o + xx] += wv * xp[row + xx];
        }
      }
      var b = L.b[oc], off = oc * HW;
      for (var q = 0; q < HW; q++) { var v = f32(acc[q] + b); pre[off + q] = v; post[off + q] = v > 0 ? v : 0; }
    }
    return { pre: pre, post: post };
  }

  // 2x2 max-pool with floor (an odd last row/column is dropped), the winner's position (the first of equal values, as
  // PyTorch's max_pool2d) and whether the maximum was shared (a tie: no unit "won").
  function pool(m, C, H, W) {
    var pH = Math.floor(H / 2), pW = Math.floor(W / 2), n = C * pH * pW;
    var v = new Float32Array(n), from = new Int32Array(n), tie = new Uint8Array(n);
    for (var c = 0; c < C; c++) for (var y = 0; y < pH; y++) for (var x = 0; x < pW; x++) {
      var best = -Infinity, at = -1, same = 0;
      for (var dy = 0; dy < 2; dy++) for (var dx = 0; dx < 2; dx++) {
        var q = (2 * y + dy) * W + 2 * x + dx, val = m[c * H * W + q];
        if (val > best || at < 0) { best = val; at = q; same = 1; } else if (val === best) same++;
      }
      var o = (c * pH + y) * pW + x;
      v[o] = best; from[o] = at; tie[o] = same > 1 ? 1 : 0;
    }
    return { C: C, H: pH, W: pW, v: v, from: from, tie: tie, prevW: W };
  }

  function dense(x, F, relu) {
    var out = new Float32Array(F.out);
    for (var o = 0; o < F.out; o++) {
      var s = 0, row = o * F.in;
      for (var i = 0; i < F.in; i++) s += F.w[row + i] * x[i];
      var v = f32(s + F.b[o]);
      out[o] = relu && !(v > 0) ? 0 : v;
    }
    return out;
  }

  function forward(pixels) {
    var x = pixels, C = D.inC, H = D.H, W = D.W, pre = [], maps = [], pooled = [];
    D.layers.forEach(function (L) {
      var r = convLayer(x, C, H, W, L);
      pre.push(r.pre); maps.push(r.post);
      var P = pool(r.post, L.outC, H, W);
      pooled.push(P);
      x = P.v; C = P.C; H = P.H; W = P.W;
    });
    var hidden = dense(x, D.fc1, true), logits = dense(hidden, D.fc2, false), max = -Infinity, sum = 0;
    for (var i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
    var probs = new Float32Array(logits.length), e = new Float64Array(logits.length);
    for (i = 0; i < logits.length; i++) { e[i] = Math.exp(logits[i] - max); sum += e[i]; }
    for (i = 0; i < logits.length; i++) probs[i] = e[i] / sum;
    return { pre: pre, maps: maps, pooled: pooled, logits: logits, probs: probs };
  }

  // ---------- state ----------
  // source: 'image' (one of the report's images, maybe painted or shifted) or 'own' (a file the learner chose).
  var state = { image: 0, source: 'image', own: null, pixels: null, base: null, touched: false, net: null,
    sel: null, hover: null, cursors: {}, trail: [] };

  function weightsEdited() {
    return D.layers.some(function (L) { return !same(L.w, L.w0) || !same(L.b, L.b0); });
  }
  function same(a, b) { for (var i = 0; i < a.length; i++) if (a[i] !== b[i] && !(a[i] !== a[i] && b[i] !== b[i])) return false; return true; }
  // The model's own maps exist only for an untouched report image with the trained weights.
  function modelMaps() { return state.source === 'image' && !state.touched && !weightsEdited() ? state.image : -1; }

  function inputOf(li) {
    if (li === 0) return { C: D.inC, H: D.H, W: D.W, v: state.pixels, from: null, tie: null };
    return state.net.pooled[li - 1];
  }

  // One unit's computation, in float32 and in a fixed order (channel, kernel row, kernel column).
  function compute(li, ch, r, c) {
    var L = D.layers[li], inp = inputOf(li), k = D.k, p = D.pad, cells = [], sum = 0;
    for (var ci = 0; ci < inp.C; ci++) for (var dy = 0; dy < k; dy++) for (var dx = 0; dx < k; dx++) {
      var y = r + dy - p, x = c + dx - p, inside = y >= 0 && y < inp.H && x >= 0 && x < inp.W, sy = y, sx = x, xv = 0;
      if (!inside && D.circular) { sy = ((y % inp.H) + inp.H) % inp.H; sx = ((x % inp.W) + inp.W) % inp.W; }
      var readable = inside || D.circular, idx = (ci * inp.H + sy) * inp.W + sx;
      if (readable) xv = inp.v[idx];
      var wi = ((ch * inp.C + ci) * k + dy) * k + dx, wv = L.w[wi], prod = f32(xv * wv);
      sum = f32(sum + prod);
      cells.push({ ci: ci, dy: dy, dx: dx, y: y, x: x, sy: sy, sx: sx, pad: !inside, x_: xv, w: wv, wi: wi, p: prod,
        from: readable && inp.from ? inp.from[idx] : -1, tie: readable && inp.tie ? inp.tie[idx] === 1 : false });
    }
    var pre = f32(sum + L.b[ch]), q = (ch * L.H + r) * L.W + c, mm = modelMaps();
    return { cells: cells, sum: sum, bias: L.b[ch], pre: pre, value: pre > 0 ? pre : 0,
      map: state.net.maps[li][q], model: mm >= 0 ? L.m[mm][q] : null, inp: inp };
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
  var inputCanvas = el('canvas', { id: 'explorer-input', width: D.W * inputScale, height: D.H * inputScale, role: 'img', tabindex: '0',
    'aria-label': 'The input image. Drag on it to paint with the brush; with the image focused, the arrow keys shift it by one pixel. ' +
      'The receptive field of the chosen unit is outlined in magenta, of the unit under the pointer in cyan.' });
  inputBox.appendChild(inputCanvas);
  var inputCaption = el('p', { class: 'explorer-input-caption' });
  inputBox.appendChild(inputCaption);

  // ---- colour scale: the report's heatmap scale (viridis), 0 -> the layer's largest value for this picture ----
  var LUT = (function () {
    var stops = D.colorscale.map(function (s) { var h = s[1]; return [s[0], parseInt(h.substr(1, 2), 16), parseInt(h.substr(3, 2), 16), parseInt(h.substr(5, 2), 16)]; });
    var lut = new Uint8ClampedArray(256 * 3);
    for (var i = 0; i < 256; i++) {
      var t = i / 255, j = 0;
      while (j < stops.length - 2 && t > stops[j + 1][0]) j++;
      var a = stops[j], b = stops[j + 1], u = (t - a[0]) / (b[0] - a[0]);
      for (var q = 0; q < 3; q++) lut[i * 3 + q] = Math.round(a[q + 1] + (b[q + 1] - a[q + 1]) * u);
    }
    return lut;
  })();
  function legend(max) {
    var box = el('div', { class: 'explorer-legend', 'data-role': 'legend' });
    var bar = el('canvas', { width: 160, height: 10, 'aria-hidden': 'true' }), ctx = bar.getContext('2d');
    for (var x = 0; x < 160; x++) { var i = Math.round(x / 159 * 255); ctx.fillStyle = 'rgb(' + LUT[i * 3] + ',' + LUT[i * 3 + 1] + ',' + LUT[i * 3 + 2] + ')'; ctx.fillRect(x, 0, 1, 10); }
    box.appendChild(el('span', null, '0'));
    box.appendChild(bar);
    var hi = el('span', { 'data-role': 'legend-max' }, max.toFixed(3));
    box.appendChild(hi);
    box.appendChild(el('span', { class: 'explorer-note', title: 'Each map is coloured from 0 to the largest value of this layer for this picture, in the colours of the report\'s feature-map heatmaps (viridis).' }, '= the layer\'s largest value here'));
    return { box: box, max: hi };
  }

  function rgbOf(data, C, H, W, y, x) {
    var plane = H * W, q = y * W + x;
    function g(c) { return Math.round(Math.min(1, Math.max(0, data[c * plane + q])) * 255); }
    return C === 3 ? [g(0), g(1), g(2)] : [g(0), g(0), g(0)];
  }

  function imageToCanvas(canvas, data, C, H, W, scale) {
    canvas.width = W * scale; canvas.height = H * scale;
    var ctx = canvas.getContext('2d'), small = el('canvas', { width: W, height: H }), sctx = small.getContext('2d');
    var img = sctx.createImageData(W, H), d = img.data;
    for (var y = 0; y < H; y++) for (var x = 0; x < W; x++) {
      var rgb = rgbOf(data, C, H, W, y, x), o = (y * W + x) * 4;
      d[o] = rgb[0]; d[o + 1] = rgb[1]; d[o + 2] = rgb[2]; d[o + 3] = 255;
    }
    sctx.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(small, 0, 0, W * scale, H * scale);
    return ctx;
  }

  // The field's rectangles on the image: one clipped rectangle, or with circular padding the wrapped pieces.
  function fieldPieces(f, H, W) {
    function spans(a, b, n) {
      if (!D.circular || b - a + 1 >= n) return [[Math.max(0, a), Math.min(n - 1, b)]];
      var s = ((a % n) + n) % n, e = ((b % n) + n) % n;
      return s <= e ? [[s, e]] : [[s, n - 1], [0, e]];
    }
    var out = [];
    spans(f.r0, f.r1, H).forEach(function (rs) { spans(f.c0, f.c1, W).forEach(function (cs) { out.push({ r0: rs[0], r1: rs[1], c0: cs[0], c1: cs[1] }); }); });
    return out;
  }

  // Four filled rectangles (no anti-aliasing) around input rows r0..r1, columns c0..c1.
  function outline(ctx, f, H, W, scale, color, widthPx) {
    fieldPieces(f, H, W).forEach(function (g) {
      if (g.r0 > g.r1 || g.c0 > g.c1) return;
      var x0 = g.c0 * scale, y0 = g.r0 * scale, x1 = (g.c1 + 1) * scale, y1 = (g.r1 + 1) * scale, t = Math.min(widthPx, Math.max(1, Math.floor((x1 - x0) / 2)), Math.max(1, Math.floor((y1 - y0) / 2)));
      ctx.fillStyle = 'rgb(' + color.join(',') + ')';
      ctx.fillRect(x0, y0, x1 - x0, t); ctx.fillRect(x0, y1 - t, x1 - x0, t);
      ctx.fillRect(x0, y0, t, y1 - y0); ctx.fillRect(x1 - t, y0, t, y1 - y0);
    });
  }

  function sourceName() {
    if (state.source === 'own') return 'Your picture (' + state.own.name + ')';
    var im = D.images[state.image];
    return 'Image ' + (state.image + 1) + ' (' + (im.file ? 'file ' + im.file : 'test row ' + im.row) + '; ' + im.caption + ')';
  }

  function drawInput() {
    var ctx = imageToCanvas(inputCanvas, state.pixels, D.inC, D.H, D.W, inputScale);
    if (state.hover) outline(ctx, field(state.hover.li, state.hover.r, state.hover.c), D.H, D.W, inputScale, HOVER, 2);
    var text = sourceName() + (state.touched ? ', painted or shifted' : '');
    if (state.sel) {
      var f = field(state.sel.li, state.sel.r, state.sel.c);
      outline(ctx, f, D.H, D.W, inputScale, OUTLINE, 2);
      inputCanvas.setAttribute('data-rf', [f.r0, f.r1, f.c0, f.c1].join(','));
      var pieces = fieldPieces(f, D.H, D.W);
      text += '. Receptive field of ' + D.layers[state.sel.li].name + ' unit (' + state.sel.r + ', ' + state.sel.c + '): ' +
        pieces.map(function (g) { return 'rows ' + g.r0 + '–' + g.r1 + ', columns ' + g.c0 + '–' + g.c1; }).join(' and ') +
        (pieces.length > 1 ? ' (circular padding: the field wraps around the border)' : '') + '.';
    } else { inputCanvas.removeAttribute('data-rf'); text += '.'; }
    inputCaption.textContent = text;
  }

  // ---------- image picker ----------
  var imageButtons = D.images.map(function (im, i) {
    var b = el('button', { type: 'button', id: 'explorer-image-' + (i + 1), class: 'explorer-image', 'aria-pressed': 'false',
      'aria-label': 'Image ' + (i + 1) + ': ' + (im.file ? 'file ' + im.file : 'test row ' + im.row) + ', ' + im.caption });
    var thumb = el('canvas', { 'aria-hidden': 'true' });
    imageToCanvas(thumb, im.data, D.inC, D.H, D.W, Math.max(1, Math.floor(48 / Math.max(D.H, D.W))));
    b.appendChild(thumb);
    b.appendChild(el('span', null, String(i + 1)));
    b.addEventListener('click', function () { chooseImage(i); });
    imagesBox.appendChild(b);
    return b;
  });
  var ownButton = el('button', { type: 'button', id: 'explorer-image-own', class: 'explorer-image', 'aria-pressed': 'false', hidden: '' });
  var ownThumb = el('canvas', { 'aria-hidden': 'true' });
  ownButton.appendChild(ownThumb);
  ownButton.appendChild(el('span', null, 'yours'));
  ownButton.addEventListener('click', function () { if (state.own) useOwn(); });
  imagesBox.appendChild(ownButton);

  // ---------- your picture, brush and shift ----------
  var tools = el('div', { class: 'explorer-tools' }); // placed under the prediction, below
  var fileLabel = el('label', { class: 'explorer-file' });
  fileLabel.appendChild(el('span', null, 'Your picture (PNG or JPEG): '));
  var fileInput = el('input', { type: 'file', id: 'explorer-file', accept: 'image/png,image/jpeg' });
  fileLabel.appendChild(fileInput);
  tools.appendChild(fileLabel);
  var fileNote = el('p', { class: 'explorer-note', id: 'explorer-file-note' },
    'Or drop a file on the image. It is read in this browser; nothing is uploaded. It is resized to ' + D.W + '×' + D.H +
    ' as the library\'s image-folder reader does (ML.NET ResizeImages, "Fill": stretched to that size with nearest-neighbour sampling, ' +
    'output pixel (y, x) takes source pixel (⌊(y + ½)·h/' + D.H + '⌋, ⌊(x + ½)·w/' + D.W + '⌋))' +
    (D.inC === 1 ? ', made grey as 0.3·R + 0.59·G + 0.11·B (ML.NET ConvertToGrayscale)' : '') + ', then divided by 255. Colour profiles and transparency are ignored.');
  tools.appendChild(fileNote);
  var brushBox = el('div', { class: 'explorer-brush', role: 'group', 'aria-label': 'Brush' });
  brushBox.appendChild(el('span', null, 'Brush: '));
  var brushColour = el('input', { type: 'color', id: 'explorer-brush-colour', value: '#ffffff', 'aria-label': 'Brush colour' });
  var brushSize = el('input', { type: 'number', id: 'explorer-brush-size', min: '1', max: '16', value: '2', 'aria-label': 'Brush size in image pixels' });
  var eraseLabel = el('label');
  var brushErase = el('input', { type: 'checkbox', id: 'explorer-brush-erase' });
  eraseLabel.appendChild(brushErase); eraseLabel.appendChild(document.createTextNode(' erase'));
  var resetPicture = el('button', { type: 'button', id: 'explorer-reset-picture' }, 'Undo strokes and shifts');
  [brushColour, el('span', null, ' size '), brushSize, eraseLabel, resetPicture].forEach(function (e) { brushBox.appendChild(e); });
  tools.appendChild(brushBox);
  tools.appendChild(el('p', { class: 'explorer-note' }, 'Drag on the image to paint; "erase" paints the picture back. Click the image and press the arrow keys to shift it by a pixel (the edge that opens up is black).'));
  var fileError = el('p', { class: 'explorer-error', role: 'alert' });
  tools.appendChild(fileError);

  function decodeAndUse(file) {
    fileError.textContent = '';
    if (!file) return;
    if (!/^image\/(png|jpeg)$/.test(file.type)) { fileError.textContent = file.name + ' is not a PNG or JPEG file (' + (file.type || 'unknown type') + ').'; return; }
    var started = performance.now();
    createImageBitmap(file, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' }).then(function (bitmap) {
      var w = bitmap.width, h = bitmap.height, cv = el('canvas', { width: w, height: h }), ctx = cv.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(bitmap, 0, 0);
      var rgba = ctx.getImageData(0, 0, w, h).data;
      state.own = { name: file.name, pixels: fromRgba(rgba, w, h), size: w + '×' + h };
      useOwn();
      root.setAttribute('data-file-loaded', file.name);
      root.setAttribute('data-file-ms', (performance.now() - started).toFixed(1));
    }).catch(function (e) { fileError.textContent = file.name + ' could not be decoded: ' + e; });
  }

  // The library's image-folder rule (ImageFolderCatalog.LoadImagePixels): SkiaSharp Resize with no filtering (nearest
  // neighbour at pixel centres) to the model's size, grey as 0.3 R + 0.59 G + 0.11 B for one-channel models, / 255.
  // ML.NET's ExtractPixels multiplies each byte by the float32 scale 1/255 (one float32 product, not a division).
  var BYTE_SCALE = f32(1 / 255);
  function fromByte(b) { return f32(b * BYTE_SCALE); }
  // SkiaSharp's grey colour matrix (0.3, 0.59, 0.11) rounds halves up (153.5 -> 154); in integers it is exact.
  function greyByte(r, g, b) { return Math.floor((30 * r + 59 * g + 11 * b + 50) / 100); }
  function fromRgba(rgba, w, h) {
    var H = D.H, W = D.W, plane = H * W, out = new Float32Array(D.inC * plane);
    for (var y = 0; y < H; y++) {
      var sy = Math.min(h - 1, Math.floor((y + 0.5) * h / H));
      for (var x = 0; x < W; x++) {
        var sx = Math.min(w - 1, Math.floor((x + 0.5) * w / W)), o = (sy * w + sx) * 4, q = y * W + x;
        if (D.inC === 1) out[q] = fromByte(greyByte(rgba[o], rgba[o + 1], rgba[o + 2]));
        else for (var c = 0; c < D.inC; c++) out[c * plane + q] = fromByte(rgba[o + Math.min(c, 2)]);
      }
    }
    return out;
  }

  fileInput.addEventListener('change', function () { decodeAndUse(fileInput.files[0]); });
  inputBox.addEventListener('dragover', function (e) { e.preventDefault(); inputBox.classList.add('drop'); });
  inputBox.addEventListener('dragleave', function () { inputBox.classList.remove('drop'); });
  inputBox.addEventListener('drop', function (e) { e.preventDefault(); inputBox.classList.remove('drop'); decodeAndUse(e.dataTransfer.files[0]); });

  function useOwn() {
    state.source = 'own'; state.touched = false;
    state.base = state.own.pixels.slice(); state.pixels = state.own.pixels.slice();
    ownButton.hidden = false;
    imageToCanvas(ownThumb, state.own.pixels, D.inC, D.H, D.W, Math.max(1, Math.floor(48 / Math.max(D.H, D.W))));
    ownButton.setAttribute('aria-label', 'Your picture: ' + state.own.name);
    pressButtons();
    recompute('picture');
  }

  var painting = false, pending = false, last = null;
  // Pointer events arrive far apart on a fast stroke: paint every pixel on the line from the previous position.
  function paintAt(e) {
    var rect = inputCanvas.getBoundingClientRect();
    var x = Math.floor((e.clientX - rect.left) / rect.width * D.W), y = Math.floor((e.clientY - rect.top) / rect.height * D.H);
    var from = last || { x: x, y: y }, steps = Math.max(Math.abs(x - from.x), Math.abs(y - from.y), 1);
    for (var i = 1; i <= steps; i++) dab(Math.round(from.x + (x - from.x) * i / steps), Math.round(from.y + (y - from.y) * i / steps));
    last = { x: x, y: y };
    state.touched = true;
    if (!pending) { pending = true; requestAnimationFrame(function () { pending = false; recompute('brush'); }); }
  }
  function dab(x, y) {
    var size = Math.max(1, Math.min(16, parseInt(brushSize.value, 10) || 1)), h = brushColour.value, plane = D.H * D.W;
    var rgb = [parseInt(h.substr(1, 2), 16), parseInt(h.substr(3, 2), 16), parseInt(h.substr(5, 2), 16)];
    var grey = fromByte(greyByte(rgb[0], rgb[1], rgb[2]));
    var y0 = y - Math.floor((size - 1) / 2), x0 = x - Math.floor((size - 1) / 2);
    for (var yy = Math.max(0, y0); yy < Math.min(D.H, y0 + size); yy++) for (var xx = Math.max(0, x0); xx < Math.min(D.W, x0 + size); xx++) {
      for (var c = 0; c < D.inC; c++) {
        var q = c * plane + yy * D.W + xx;
        state.pixels[q] = brushErase.checked ? state.base[q] : D.inC === 1 ? grey : fromByte(rgb[Math.min(c, 2)]);
      }
    }
  }
  inputCanvas.addEventListener('pointerdown', function (e) { painting = true; last = null; inputCanvas.setPointerCapture(e.pointerId); paintAt(e); });
  inputCanvas.addEventListener('pointermove', function (e) { if (painting) paintAt(e); });
  inputCanvas.addEventListener('pointerup', function () { painting = false; last = null; });
  inputCanvas.addEventListener('keydown', function (e) {
    var moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (!moves[e.key]) return;
    e.preventDefault();
    shift(moves[e.key][0], moves[e.key][1]);
  });
  // Moves the picture (and what "erase" restores) by (dy, dx) pixels; the uncovered edge is 0 (black).
  function shift(dy, dx) {
    [state.pixels, state.base].forEach(function (a) {
      var copy = a.slice();
      for (var c = 0; c < D.inC; c++) for (var y = 0; y < D.H; y++) for (var x = 0; x < D.W; x++) {
        var sy = y - dy, sx = x - dx;
        a[(c * D.H + y) * D.W + x] = sy >= 0 && sy < D.H && sx >= 0 && sx < D.W ? copy[(c * D.H + sy) * D.W + sx] : 0;
      }
    });
    state.touched = true;
    recompute('shift');
  }
  resetPicture.addEventListener('click', function () {
    state.pixels = (state.source === 'own' ? state.own.pixels : D.images[state.image].data).slice();
    state.base = state.pixels.slice(); state.touched = false;
    recompute('picture');
  });

  // ---------- the prediction ----------
  var predBox = el('div', { class: 'explorer-prediction', id: 'explorer-prediction', 'aria-live': 'polite' });
  inputBox.appendChild(predBox);
  inputBox.appendChild(tools);
  function drawPrediction() {
    var probs = state.net.probs, order = Array.prototype.map.call(probs, function (_, i) { return i; });
    order.sort(function (a, b) { return probs[b] - probs[a]; });
    clear(predBox);
    predBox.appendChild(el('h4', null, 'Prediction' + (modelMaps() < 0 ? ' (computed in this page)' : '')));
    var list = el('ol', { class: 'explorer-probs' });
    order.forEach(function (i) {
      var li = el('li', { 'data-class': String(i), 'data-p': probs[i].toPrecision(9) });
      li.appendChild(el('span', { class: 'name' }, D.classes[i] || ('class ' + i)));
      var bar = el('span', { class: 'bar' }); bar.style.width = (probs[i] * 100).toFixed(1) + '%';
      li.appendChild(bar);
      li.appendChild(el('span', { class: 'p' }, (probs[i] * 100).toFixed(1) + '%'));
      list.appendChild(li);
    });
    predBox.appendChild(list);
  }

  // ---------- maps ----------
  var layerViews = D.layers.map(function (L, li) {
    var box = el('div', { class: 'explorer-layer', 'data-layer': L.name });
    box.appendChild(el('h4', null, L.name + ': ' + L.outC + ' maps of ' + L.H + '×' + L.W + ' (after ReLU, before pooling)'));
    var lg = legend(0);
    box.appendChild(lg.box);
    var grid = el('div', { class: 'explorer-maps' });
    var scale = Math.max(3, Math.floor(112 / Math.max(L.H, L.W)));
    var canvases = [], labels = [];
    for (var ch = 0; ch < L.outC; ch++) {
      var dead = L.top && L.top.channels[ch].dead;
      var wrap = el('div', { class: 'explorer-map' + (dead ? ' dead' : '') });
      var cv = el('canvas', { width: L.W * scale, height: L.H * scale, tabindex: '0', role: 'img', 'data-layer': String(li), 'data-channel': String(ch),
        'aria-label': L.name + ' channel ' + ch + ', ' + L.H + ' by ' + L.W + ' units' + (dead ? ' (dead: 0 on every test image scanned)' : '') +
          '. Arrow keys move the cursor, Enter shows how the unit was computed.' });
      wrap.appendChild(cv);
      var label = el('span', { 'aria-hidden': 'true', class: 'explorer-map-label' }, 'ch ' + ch + (dead ? ' · dead' : ''));
      wrap.appendChild(label);
      if (dead) wrap.title = 'Dead channel: 0 on every one of the ' + L.top.searched + ' test images scanned';
      grid.appendChild(wrap);
      canvases.push(cv); labels.push(label);
      wireMap(cv, li, ch, L);
    }
    box.appendChild(grid);
    layersBox.appendChild(box);
    var small = el('canvas', { width: L.W, height: L.H });
    return { canvases: canvases, labels: labels, scale: scale, legendMax: lg.max, small: small, img: small.getContext('2d').createImageData(L.W, L.H) };
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

  function drawLayer(li) {
    var L = D.layers[li], view = layerViews[li], m = state.net.maps[li], max = 0, HW = L.H * L.W, d = view.img.data;
    for (var q = 0; q < m.length; q++) if (m[q] > max) max = m[q];
    view.legendMax.textContent = max.toFixed(3);
    var sctx = view.small.getContext('2d');
    for (var ch = 0; ch < L.outC; ch++) {
      var cv = view.canvases[ch], s = view.scale, ctx = cv.getContext('2d'), off = ch * HW;
      for (q = 0; q < HW; q++) {
        var i = max > 0 ? Math.min(255, Math.max(0, Math.round(m[off + q] / max * 255))) : 0, o = q * 4;
        d[o] = LUT[i * 3]; d[o + 1] = LUT[i * 3 + 1]; d[o + 2] = LUT[i * 3 + 2]; d[o + 3] = 255;
      }
      sctx.putImageData(view.img, 0, 0);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(view.small, 0, 0, L.W * s, L.H * s);
      if (state.hover && state.hover.li === li) mark(ctx, state.hover.r, state.hover.c, s, HOVER, state.hover.ch === ch ? 2 : 1);
      if (state.sel && state.sel.li === li) mark(ctx, state.sel.r, state.sel.c, s, state.sel.ch === ch ? OUTLINE : [200, 120, 200], state.sel.ch === ch ? 2 : 1);
      if (L.top && L.top.channels[ch].dead) deadLabel(L, view, ch, m, off, HW);
    }
  }

  // "dead" was measured with the trained weights on the test images; once the current picture or weights make the
  // channel fire, the label says so instead of still calling it dead.
  function deadLabel(L, view, ch, m, off, HW) {
    var top = 0;
    for (var q = 0; q < HW; q++) if (m[off + q] > top) top = m[off + q];
    var fires = top > 0, wrap = view.labels[ch].parentNode;
    wrap.classList.toggle('dead', !fires); wrap.classList.toggle('fires', fires);
    view.labels[ch].textContent = 'ch ' + ch + (fires ? ' · fires now' : ' · dead');
    wrap.title = 'Dead with the trained weights: 0 on every one of the ' + L.top.searched + ' test images scanned' +
      (fires ? '. With the current picture and weights its largest value is ' + top.toFixed(3) + '.' : '.');
    view.canvases[ch].setAttribute('data-fires', fires ? 'true' : 'false');
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

  function pressButtons() {
    imageButtons.forEach(function (b, j) { b.setAttribute('aria-pressed', state.source === 'image' && j === state.image ? 'true' : 'false'); });
    ownButton.setAttribute('aria-pressed', state.source === 'own' ? 'true' : 'false');
  }

  // Runs the network on the current picture and weights and redraws everything that depends on them. Records how
  // long the forward pass and the drawing took (data-recompute-ms; window.mlnetcnnExplorer.timings) for the benchmark.
  var timings = [];
  function recompute(why) {
    var t0 = performance.now();
    state.net = forward(state.pixels);
    var t1 = performance.now();
    D.layers.forEach(function (_, li) { drawLayer(li); });
    drawInput();
    drawPrediction();
    if (state.sel) renderPanel();
    var t2 = performance.now();
    timings.push({ why: why, forward: t1 - t0, total: t2 - t0 });
    root.setAttribute('data-recompute-ms', (t2 - t0).toFixed(2));
    root.setAttribute('data-recomputed', String(timings.length));
  }

  function chooseImage(i) {
    state.image = i; state.source = 'image'; state.touched = false;
    state.pixels = D.images[i].data.slice(); state.base = D.images[i].data.slice();
    pressButtons();
    recompute('picture');
  }

  // tie: the unit was reached through a pooled value whose window maximum is shared (the trail flags it).
  function select(li, ch, r, c, fromPointer, how, tie) {
    if (how === 'trace' && state.sel) state.trail.push(state.sel);
    else if (how !== 'back') state.trail = [];
    state.sel = { li: li, ch: ch, r: r, c: c, tie: !!tie };
    state.cursors[li + ':' + ch] = { r: r, c: c };
    D.layers.forEach(function (_, l) { drawLayer(l); });
    drawInput();
    renderPanel();
    renderTop();
    // The answer must be on screen: the side column starts at its top, and if the page has scrolled past the sticky
    // column's reach (the last maps of a deep model), the page scrolls just enough to show the summary.
    panel.parentNode.scrollTop = 0;
    var box = summary.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) summary.scrollIntoView({ block: 'nearest' });
    if (!fromPointer) layerViews[li].canvases[ch].focus({ preventScroll: true });
  }

  // ---------- the computation panel ----------
  function unitName(u) {
    return D.layers[u.li].name + ' ch ' + u.ch + ' (' + u.r + ',' + u.c + ')' + (u.tie ? ' [tie: no unit won, the first of the window]' : '');
  }

  function renderTrail(s) {
    var nav = el('nav', { class: 'explorer-trail', 'aria-label': 'Traced path', 'data-role': 'trail' });
    var path = state.trail.concat([s]).map(unitName);
    if (s.li === 0) path.push('pixels');
    nav.appendChild(el('span', null, 'Path: ' + path.join(' → ')));
    var back = el('button', { type: 'button', id: 'explorer-back' }, '← Back');
    back.disabled = state.trail.length === 0;
    back.addEventListener('click', function () { var u = state.trail.pop(); if (u) select(u.li, u.ch, u.r, u.c, false, 'back', u.tie); });
    nav.appendChild(back);
    return nav;
  }

  function renderPanel() {
    var s = state.sel, L = D.layers[s.li], res = compute(s.li, s.ch, s.r, s.c), k = D.k;
    var prevName = s.li > 0 ? D.layers[s.li - 1].name : null;
    var focused = document.activeElement && panel.contains(document.activeElement) ? document.activeElement.id : null;
    panel.setAttribute('data-layer', L.name); panel.setAttribute('data-channel', s.ch);
    panel.setAttribute('data-row', s.r); panel.setAttribute('data-col', s.c); panel.setAttribute('data-image', state.source === 'own' ? 'own' : state.image);
    var padded = res.cells.filter(function (x) { return x.pad; }).length;
    var ties = res.cells.filter(function (x) { return x.tie; }).length;
    summary.textContent = L.name + ', channel ' + s.ch + ', row ' + s.r + ', column ' + s.c + ' of ' + (state.source === 'own' ? 'your picture' : 'image ' + (state.image + 1)) + ': ' +
      res.cells.length + ' products (input ' + res.inp.C + '×' + k + '×' + k + (padded ? ', ' + padded + ' in the padding' : '') + ') sum to ' + fmt(res.sum) +
      '; plus bias ' + fmt(res.bias) + ' gives the pre-activation ' + fmt(res.pre) + '; ReLU gives ' + fmt(res.value) + '.';
    clear(panel, 1);
    panel.appendChild(renderTrail(s));

    var steps = el('dl', { class: 'explorer-steps' });
    [['Σ products', 'sum', res.sum], ['+ bias', 'bias', res.bias], ['= pre-activation', 'pre', res.pre], ['ReLU: max(0, pre-activation)', 'value', res.value],
      ['map value (this page\'s forward pass)', 'map-value', res.map]].forEach(function (row) {
      steps.appendChild(el('dt', null, row[0]));
      var dd = el('dd', { 'data-role': row[1] });
      if (row[1] === 'bias') {
        var bi = el('input', { type: 'number', step: 'any', id: 'explorer-bias', 'data-role': 'bias-input', value: shortestFloat32(res.bias), 'aria-label': 'Bias of ' + L.name + ' channel ' + s.ch + ' (editable)' });
        bi.addEventListener('change', function () { setWeight(L, 'b', s.ch, bi.value, bi); });
        dd.appendChild(el('span', { 'data-role': 'bias-text' }, fmt(row[2])));
        var edit = el('label', { class: 'explorer-bias-edit' }, ' edit: ');
        edit.appendChild(bi);
        dd.appendChild(edit);
      } else dd.textContent = fmt(row[2]);
      steps.appendChild(dd);
    });
    steps.appendChild(el('dt', null, 'the model\'s own map value'));
    steps.appendChild(el('dd', { 'data-role': 'model-value' }, res.model === null ? '— (your picture, strokes or weights: not computed by the library when the report was written)' : fmt(res.model)));
    panel.appendChild(steps);
    panel.appendChild(el('p', { class: 'explorer-note' }, s.li === 0
      ? 'Input patch: pixel values of each input channel under the kernel' + (D.circular ? ' (outside the image the map wraps around: "wrap").' : ' (outside the image: zero padding, "pad").')
      : 'Input patch: ' + prevName + '\'s maps after ReLU and the 2×2 max-pool. Each value is the largest of a 2×2 window of ' + prevName +
        '; the small text says which unit won. Click a value to go to that unit of ' + prevName + '.' +
        (ties ? ' "tie": ' + ties + ' of these values came from a window whose largest value is shared (often all four are 0), so no unit won; the link goes to the first of them, as PyTorch\'s max-pool records it.' : '')));

    panel.appendChild(kernelTools(L, s));
    var grid = el('div', { class: 'explorer-terms' });
    var max = 0;
    res.cells.forEach(function (x) { max = Math.max(max, Math.abs(x.p)); });
    for (var ci = 0; ci < res.inp.C; ci++) {
      var name = s.li === 0 ? D.channelNames[ci] : prevName + ' ch ' + ci;
      var group = el('div', { class: 'explorer-term' + (s.li > 0 ? ' two-line' : ''), 'data-in-channel': String(ci) });
      group.appendChild(el('h5', null, name));
      var part = res.cells.slice(ci * k * k, (ci + 1) * k * k);
      group.appendChild(table('input', part, function (x) { return patchCell(x, s); }, k));
      group.appendChild(table('kernel', part, function (x) { return kernelCell(x, L, s); }, k));
      group.appendChild(table('products', part, function (x) { var td = el('td', { 'data-role': 'product' }, x.p.toFixed(4)); td.style.background = diverging(x.p, max); return td; }, k));
      grid.appendChild(group);
    }
    panel.appendChild(grid);
    if (focused) { var again = document.getElementById(focused); if (again) again.focus({ preventScroll: true }); }
    panel.setAttribute('data-rendered-at', performance.now().toFixed(1));
  }

  // ---------- kernel edits ----------
  function setWeight(L, which, index, text, input) {
    var v = parseFloat(text);
    if (!isFinite(v)) { input.setCustomValidity('a number, please'); input.reportValidity(); return; }
    input.setCustomValidity('');
    L[which][index] = f32(v);
    recompute('edit');
  }

  function kernelTools(L, s) {
    var box = el('div', { class: 'explorer-edit', role: 'group', 'aria-label': 'Edit this kernel' });
    var k = D.k, C = L.inC, n = C * k * k, base = s.ch * n;
    function preset(label, id, f) {
      var b = el('button', { type: 'button', id: 'explorer-preset-' + id }, label);
      b.addEventListener('click', function () {
        for (var ci = 0; ci < C; ci++) for (var dy = 0; dy < k; dy++) for (var dx = 0; dx < k; dx++) {
          var i = base + (ci * k + dy) * k + dx;
          L.w[i] = f32(f(L.w[i], dy, dx, L.w0[i]));
        }
        if (id === 'reset') L.b[s.ch] = L.b0[s.ch];
        recompute('edit');
      });
      box.appendChild(b);
      return b;
    }
    var c = (k - 1) / 2;
    box.appendChild(el('span', null, 'Kernel: '));
    preset('zero', 'zero', function () { return 0; });
    preset('vertical edges', 'vertical', function (_, dy, dx) { return c > 0 ? (dx - c) / c : 0; });
    preset('horizontal edges', 'horizontal', function (_, dy) { return c > 0 ? (dy - c) / c : 0; });
    preset('negate', 'negate', function (w) { return -w; });
    preset('reset', 'reset', function (_, dy, dx, w0) { return w0; });
    var all = el('button', { type: 'button', id: 'explorer-reset-all' }, 'reset all layers');
    all.addEventListener('click', function () { D.layers.forEach(function (M) { M.w.set(M.w0); M.b.set(M.b0); }); recompute('edit'); });
    box.appendChild(all);
    var edited = weightsEdited();
    box.appendChild(el('p', { class: 'explorer-note explorer-unsaved', 'data-role': 'unsaved' }, (edited ? 'You have edited weights. ' : '') +
      'Type in the kernel cells or the bias, or use a preset ("edges": −1 … +1 across the kernel, the same for every input channel); every map after it and the prediction recompute. ' +
      'Edits are not saved: they live in this page only, and reloading it restores the trained weights.'));
    return box;
  }

  function kernelCell(x, L, s) {
    var td = el('td');
    td.style.background = diverging(x.w, maxAbs(L.w0));
    var input = el('input', { type: 'number', step: 'any', id: 'explorer-w-' + x.wi, 'data-role': 'weight', 'data-w': String(x.wi), value: String(x.w),
      'aria-label': 'Kernel weight, input channel ' + x.ci + ', row ' + x.dy + ', column ' + x.dx + ' (editable)' });
    if (x.w !== L.w0[x.wi]) td.className = 'edited';
    input.addEventListener('change', function () { setWeight(L, 'w', x.wi, input.value, input); });
    td.appendChild(input);
    return td;
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

  function patchCell(x, s) {
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
    var b = el('button', { type: 'button', class: 'trace' + (x.tie ? ' tie' : ''), 'data-trace': x.ci + ',' + fr + ',' + fc, 'data-tie': x.tie ? 'true' : 'false',
      'aria-label': 'Pooled value ' + x.x_.toFixed(4) + ' at ' + where + ', from the 2×2 window rows ' + (2 * x.sy) + '–' + (2 * x.sy + 1) + ', columns ' +
        (2 * x.sx) + '–' + (2 * x.sx + 1) + ' of ' + P.name + ' channel ' + x.ci + (x.tie ? '; a tie: the largest value is shared, no unit won; PyTorch records the first, (' : '; the winner is unit (') +
        fr + ', ' + fc + '). Press to go there.' });
    b.appendChild(el('span', null, x.x_.toFixed(3) + (x.pad ? ' wrap' : '')));
    b.appendChild(el('small', null, (x.tie ? 'tie ' : '← ') + '(' + fr + ',' + fc + ')'));
    b.title = 'max of ' + P.name + ' ch ' + x.ci + ' rows ' + (2 * x.sy) + '–' + (2 * x.sy + 1) + ', cols ' + (2 * x.sx) + '–' + (2 * x.sx + 1) +
      (x.tie ? ': a tie (the largest value is shared), the first is (' : '; won by (') + fr + ', ' + fc + ')';
    b.addEventListener('click', function () { select(s.li - 1, x.ci, fr, fc, false, 'trace', x.tie); });
    b.addEventListener('mouseenter', function () { setHover({ li: s.li - 1, ch: x.ci, r: fr, c: fc }); });
    b.addEventListener('mouseleave', function () { setHover(null); });
    td.appendChild(b);
    return td;
  }

  // ---------- what the channel responds to ----------
  function renderTop() {
    var s = state.sel, L = D.layers[s.li];
    clear(topBox);
    topBox.appendChild(el('h4', null, 'What ' + L.name + ' channel ' + s.ch + ' responds to'));
    // The picture, the crops and the dead flag were found with the trained weights when the report was written.
    if (weightsEdited())
      topBox.appendChild(el('p', { class: 'explorer-note', 'data-role': 'trained-only' }, 'With the trained weights: the optimized picture, the test crops ' +
        'and their values below were found before your edits and do not follow them (the maps above do).'));
    if (L.features) renderFeature(L.features, s.ch);
    if (!L.top) { topBox.appendChild(el('p', null, 'The top test images were not searched for this layer.')); return; }
    var t = L.top, ch = t.channels[s.ch], side = t.side, C = D.inC, n = ch.rows.length, scale = Math.max(2, Math.floor(72 / side));
    topBox.setAttribute('data-layer', L.name); topBox.setAttribute('data-channel', String(s.ch));
    topBox.setAttribute('data-dead', ch.dead ? 'true' : 'false');
    if (ch.dead) {
      topBox.appendChild(el('p', { class: 'explorer-dead', 'data-role': 'dead' }, 'A dead channel (with the trained weights): its value is 0 at every unit of every one of the ' + t.searched +
        ' test images scanned (its pre-activation never rises above 0, so ReLU always gives 0), so there are no strongest images to show. ' +
        'Kernel edits above can bring it back to life in this page.'));
      return;
    }
    topBox.appendChild(el('p', null, 'The ' + n + ' test images (of ' + t.searched + ' scanned) whose strongest ' + L.name + ' unit in channel ' + s.ch +
      ' is highest, cropped to that unit\'s ' + side + '×' + side + ' receptive field. Only units whose receptive field lies wholly inside the image take part ' +
      '(units near the border, whose field reaches into the padding, are skipped), as in the top-patches experiment.'));
    var row = el('div', { class: 'explorer-crops' });
    for (var j = 0; j < n; j++) {
      var fig = el('figure', { class: 'explorer-crop' });
      // Image folders: the file (a row number is only a position in a shuffled split).
      var where = ch.files && ch.files[j] ? ch.files[j] : 'row ' + ch.rows[j];
      var cv = el('canvas', { role: 'img', 'aria-label': 'Test ' + where + ', activation ' + ch.values[j].toFixed(3) });
      var plane = side * side, data = new Float32Array(C * plane), off = j * C * plane;
      for (var q = 0; q < C * plane; q++) data[q] = ch.px[off + q] / 255;
      imageToCanvas(cv, data, C, side, side, scale);
      fig.appendChild(cv);
      fig.appendChild(el('figcaption', { class: 'explorer-crop-source' }, where + ': ' + ch.values[j].toFixed(3)));
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
  window.mlnetcnnExplorer = {
    select: function (li, ch, r, c) { select(li, ch, r, c, true); }, chooseImage: chooseImage, compute: compute, timings: timings,
    // For tests and the benchmark: the page's current maps (post-ReLU, per layer) and probabilities as plain arrays.
    maps: function (li) { return Array.prototype.slice.call(state.net.maps[li]); },
    probabilities: function () { return Array.prototype.slice.call(state.net.probs); },
    pixels: function () { return Array.prototype.slice.call(state.pixels); },
    shift: shift, recompute: recompute
  };
  root.setAttribute('data-ready', 'true');
  if (window.performance && performance.mark) performance.mark('mlnetcnn-explorer-ready');
})();
