using MlNetCnn.Reporting;
using MlNetCnn.Tests.TestSupport;
using OpenQA.Selenium;

namespace MlNetCnn.Tests.Reporting;

/// <summary>
/// Opens a generated report in headless Chromium and checks what a reader would see: every chart drawn,
/// no script errors. Needs Debian's chromium and chromium-driver; fails (never skips) without them.
/// </summary>
public sealed class ReportBrowserTests
{
    [BrowserFact]
    public void GeneratedReportRendersEveryChartInHeadlessChromium()
    {
        var outDir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(outDir);
        var htmlPath = Path.Combine(outDir, "report.html");
        var (report, expectedCharts) = SampleReports.Full();
        Assert.Equal(expectedCharts, report.ChartCount);
        report.Save(htmlPath, overwrite: true);

        using var browser = new HeadlessChromium();
        var driver = browser.Driver;

        // Bounded wait for plotly to draw; the assertions below decide pass or fail.
        browser.Open(htmlPath, expectedCharts, TimeSpan.FromSeconds(90));

        var containers = driver.FindElements(By.CssSelector($"div.{ChartBlock.ChartCssClass}"));
        var plots = driver.FindElements(By.CssSelector(".js-plotly-plot"));
        Assert.Equal(expectedCharts, containers.Count);
        Assert.Equal(expectedCharts, plots.Count);
        foreach (var container in containers)
        {
            var kind = container.GetAttribute("data-kind");
            var plot = Assert.Single(container.FindElements(By.CssSelector(".js-plotly-plot")));
            Assert.NotEmpty(plot.FindElements(By.CssSelector("svg.main-svg")));
            Assert.True(plot.Size.Width > 100 && plot.Size.Height > 100, $"{kind} chart is {plot.Size}");
        }

        // Pixels were drawn, not just axes: one raster per heatmap map and per image tile.
        Assert.Equal(6 + 18, browser.CountElements("[data-kind=heatmap-grid] g.hm image"));
        Assert.Equal(6 + 6, browser.CountElements("[data-kind=image-strip] g.im image"));

        // Hovering the first activation map shows channel, position and value.
        var dragLayer = driver.FindElement(By.CssSelector("[data-kind=heatmap-grid] .nsewdrag"));
        new OpenQA.Selenium.Interactions.Actions(driver).MoveToElement(dragLayer).Perform();
        var hover = browser.WaitForText("return Array.from(document.querySelectorAll('.hoverlayer .hovertext')).map(e => e.textContent).join(' | ');");
        Assert.Contains("ch 0", hover, StringComparison.Ordinal);
        Assert.Contains("row ", hover, StringComparison.Ordinal);
        Assert.Contains("activation: ", hover, StringComparison.Ordinal);
        new OpenQA.Selenium.Interactions.Actions(driver).MoveToElement(driver.FindElement(By.TagName("h1"))).Perform(); // clear the hover before the screenshot

        var pageErrors = browser.PageErrors();
        var severe = browser.SevereLogEntries();
        Assert.True(pageErrors.Count == 0, "page errors:\n" + string.Join("\n", pageErrors));
        Assert.True(severe.Count == 0, "SEVERE browser log entries:\n" + string.Join("\n", severe));

        browser.SaveFullPageScreenshot(Path.Combine(outDir, "report.png"));
    }
}
