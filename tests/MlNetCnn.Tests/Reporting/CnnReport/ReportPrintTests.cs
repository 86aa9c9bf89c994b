using System.Globalization;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Reporting.CnnReport.Sections;
using MlNetCnn.Tests.TestSupport;
using Xunit.Abstractions;

namespace MlNetCnn.Tests.Reporting.CnnReport;

/// <summary>
/// The report on paper (Chromium's print emulation at an A4 page's printable width, 718 CSS px): the explorer's sticky
/// side column flows with the page instead of covering the maps, no chart toolbar is printed, and the features-by-depth
/// rows fit the page.
/// </summary>
[Collection(CnnReportCollection.Name)]
public sealed class ReportPrintTests(CnnReportFixture fixture, ITestOutputHelper output)
{
    private const int A4PrintableWidth = 718;

    [BrowserFact]
    public void PrintedTheExplorerFlowsNoToolbarIsPrintedAndTheFeatureRowsFitTheWidth()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("print.html");
        var report = CnnReportGenerator.Write(path, fixture.Ml, fixture.Classifier.Model, fixture.Test, new CnnReportOptions
        {
            ImageCount = 2,
            Sections = [new KernelsSection(), new FeaturesByDepthSection(), new ExplorerSection()],
        });
        using var browser = new HeadlessChromium();
        LivePageBrowserTests.Open(browser, (path, report.ChartCount));
        var js = browser.Js;
        var toolbars = Convert.ToInt32(js.ExecuteScript("return document.querySelectorAll('.modebar-container').length;"), CultureInfo.InvariantCulture);
        Assert.True(toolbars > 0, "the page has no chart toolbar to hide: the check below would prove nothing");
        Assert.Equal("sticky", js.ExecuteScript("return getComputedStyle(document.querySelector('.explorer-side')).position;"));

        ExplorerLayoutTests.SetViewport(browser, A4PrintableWidth, 1000);
        browser.Driver.ExecuteCdpCommand("Emulation.setEmulatedMedia", new Dictionary<string, object?> { ["media"] = "print" });
        Assert.Equal(true, js.ExecuteScript("return matchMedia('print').matches;"));

        Assert.Equal("static", js.ExecuteScript("return getComputedStyle(document.querySelector('.explorer-side')).position;"));
        Assert.Equal("static", js.ExecuteScript("return getComputedStyle(document.querySelector('.explorer-input')).position;"));
        // The side column no longer overlaps the maps: its box is below theirs.
        var (mapsBottom, sideTop) = (Number(js, "return document.querySelector('.explorer-layers').getBoundingClientRect().bottom;"), Number(js, "return document.querySelector('.explorer-side').getBoundingClientRect().top;"));
        Assert.True(sideTop >= mapsBottom - 1, $"the side column starts at {sideTop:F0} px, above the maps' end at {mapsBottom:F0} px");
        Assert.Equal(0, Convert.ToInt32(js.ExecuteScript("return Array.from(document.querySelectorAll('.modebar-container')).filter(e => getComputedStyle(e).display !== 'none').length;"), CultureInfo.InvariantCulture));

        // Every features-by-depth picture row ends within the page.
        var rights = ((IEnumerable<object>)js.ExecuteScript("""
            const h = Array.from(document.querySelectorAll('section h2')).find(h => /Features by depth/.test(h.textContent));
            return Array.from(h.closest('section').querySelectorAll('.js-plotly-plot')).map(p => Math.max(...Array.from(p.querySelectorAll('svg.main-svg')).map(s => s.getBoundingClientRect().right)));
            """)!).Select(o => Convert.ToDouble(o, CultureInfo.InvariantCulture)).ToList();
        output.WriteLine($"features-by-depth rows end at {string.Join(", ", rights.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))} px of {A4PrintableWidth}");
        Assert.Equal(fixture.Classifier.Model.ConvLayers.Count, rights.Count);
        Assert.All(rights, r => Assert.True(r <= A4PrintableWidth, $"a features-by-depth row ends at {r:F0} px, beyond the {A4PrintableWidth} px page"));
        Assert.Empty(browser.PageErrors());
    }

    private static double Number(OpenQA.Selenium.IJavaScriptExecutor js, string script) => Convert.ToDouble(js.ExecuteScript(script), CultureInfo.InvariantCulture);
}
