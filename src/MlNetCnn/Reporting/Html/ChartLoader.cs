namespace MlNetCnn.Reporting.Html;

/// <summary>
/// The script at the end of every report page that runs plotly.js (kept as inert text in the head) and draws the charts
/// queued by <see cref="ChartBlock"/>. Drawing is background work: one chart per task, charts on screen first, and only
/// after the reader has left the page alone (no pointer, key, wheel or scroll input) for <see cref="QuietMilliseconds"/>,
/// so clicks in the explorer are answered at once instead of waiting behind seconds of plotting. Where nobody watches
/// the screen that way, every chart is drawn at once: before printing (<c>beforeprint</c>, so a print or a PDF has them),
/// and at load when the page has no visible window (<c>document.visibilityState</c> not "visible", or a headless browser
/// capturing a screenshot or the DOM — not one a test driver steers as a reader, <c>navigator.webdriver</c>).
/// </summary>
internal static class ChartLoader
{
    /// <summary>Input-free time before the next chart is drawn.</summary>
    public const int QuietMilliseconds = 1000;

    /// <summary>The loader script (without the script element).</summary>
    public static string Script => $$"""
        (function () {
          var q = (window.{{ChartBlock.QueueName}} || []).map(function (draw) { return { draw: draw, el: null }; });
          var lastInput = performance.now(), timer = 0;
          q.forEach(function (c) {
            var src = String(c.draw), m = /Plotly\.newPlot\('([^']+)'/.exec(src);
            c.el = m ? document.getElementById(m[1]) : null;
          });
          function done() { document.documentElement.setAttribute('data-charts-drawn', 'true'); }
          function onScreen(c) {
            if (!c.el) return false;
            var r = c.el.getBoundingClientRect();
            return r.bottom > 0 && r.top < window.innerHeight;
          }
          function schedule(delay) { clearTimeout(timer); timer = setTimeout(step, delay); }
          function runPlotly() {
            var s = document.createElement('script');
            s.textContent = document.getElementById('{{ReportDocument.PlotlyElementId}}').textContent;
            document.head.appendChild(s);
          }
          function drawAll() {
            clearTimeout(timer);
            if (q.length && !window.Plotly) runPlotly();
            while (q.length) q.shift().draw();
            done();
          }
          function step() {
            if (!q.length) { done(); return; }
            var idle = performance.now() - lastInput;
            if (idle < {{QuietMilliseconds}}) { schedule({{QuietMilliseconds}} - idle); return; }
            if (!window.Plotly) {
              runPlotly();
              schedule(0);
              return;
            }
            var i = 0;
            for (var j = 0; j < q.length; j++) if (onScreen(q[j])) { i = j; break; }
            var chart = q.splice(i, 1)[0];
            try { chart.draw(); } finally { schedule(0); }
          }
          ['pointerdown', 'pointermove', 'keydown', 'wheel', 'scroll', 'touchstart'].forEach(function (type) {
            window.addEventListener(type, function () { lastInput = performance.now(); }, { passive: true, capture: true });
          });
          window.addEventListener('beforeprint', drawAll);
          var unwatched = document.visibilityState !== 'visible' || (/HeadlessChrome/.test(navigator.userAgent) && !navigator.webdriver);
          if (unwatched) drawAll(); else if (q.length) schedule(0); else done();
        })();
        """;
}
