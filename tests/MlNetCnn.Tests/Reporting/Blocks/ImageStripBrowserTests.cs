using System.Globalization;
using MlNetCnn.Reporting;
using MlNetCnn.Reporting.Blocks;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Reporting.Blocks;

/// <summary>
/// Captions wider than their tile (the explain page's "pred: automobile 36%" over 112 px tiles) are drawn whole: no
/// caption reaches past the chart's edges, and neighbouring captions do not overlap.
/// </summary>
public sealed class ImageStripBrowserTests
{
    [BrowserFact]
    public void CaptionsWiderThanTheirTileAreNeitherCutNorOverlapping()
    {
        using var temp = new TempDirectory();
        var strip = new ImageStrip { Title = "wide captions", TileSize = 48, Columns = 3, CaptionLines = 3 };
        var rgb = Enumerable.Range(0, 3 * 8 * 8).Select(i => (i % 7) / 7f).ToArray();
        foreach (var caption in new[] { "row 6\ntrue: automobile\npred: automobile 36%", "Integrated Gradients\ndeletion 0.19\ninsertion 0.10", "row 13\ntrue: horse\npred: automobile 44%" })
            strip.Add(rgb, 8, 8, caption, caption.StartsWith("row 6", StringComparison.Ordinal));
        var report = new ReportDocument("Image strip", "captions");
        report.AddPart("Strip", "Three tiles.").Add(strip);
        var path = temp.Combine("strip.html");
        report.Save(path, overwrite: true);

        using var browser = new HeadlessChromium();
        browser.Open(path, 1, TimeSpan.FromSeconds(60));
        var boxes = ((IEnumerable<object>)browser.Js.ExecuteScript("""
            const svg = document.querySelector('svg.main-svg').getBoundingClientRect();
            return Array.from(document.querySelectorAll('g.annotation text')).map(t => {
              const r = t.getBoundingClientRect();
              return [r.left - svg.left, svg.right - r.right, r.left, r.right, r.top, r.bottom].join(' ');
            });
            """)!).Select(o => $"{o}".Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.Equal(3, boxes.Count);
        Assert.All(boxes, b => Assert.True(b[0] >= 0 && b[1] >= 0, $"a caption reaches {-Math.Min(b[0], b[1]):F1} px past the chart's edge"));
        var sorted = boxes.OrderBy(b => b[2]).ToList();
        for (var i = 1; i < sorted.Count; i++)
            Assert.True(sorted[i][2] >= sorted[i - 1][3], $"captions overlap: {sorted[i - 1][3]:F1} > {sorted[i][2]:F1}");
        Assert.Empty(browser.PageErrors());
    }
}
