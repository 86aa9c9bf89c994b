using System.Diagnostics;
using Microsoft.ML;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Reporting;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Tests.TestSupport;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace MlNetCnn.Tests.Reporting.CnnReport;

/// <summary>The full CNN report on the real CIFAR-10 test subset, opened in headless Chromium.</summary>
[Collection(CnnReportCollection.Name)]
public sealed class CnnReportBrowserTests(CnnReportFixture fixture, ITestOutputHelper output)
{
    [BrowserFact]
    public void FullReportRendersEveryChartWithoutErrorsAndStaysSmall()
    {
        var outDir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(outDir);
        var htmlPath = Path.Combine(outDir, "cnn-report.html");
        var test = fixture.Ml.Data.LoadFromCifar10(SharedData.CifarDirectory, Cifar10Split.Test); // all 1,017 rows

        var watch = Stopwatch.StartNew();
        var report = CnnReportGenerator.Write(htmlPath, fixture.Ml, fixture.Classifier, test, new CnnReportOptions(), overwrite: true);
        watch.Stop();
        var size = new FileInfo(htmlPath).Length;
        output.WriteLine($"Generated {report.Parts.Count} sections, {report.ChartCount} charts, {size / 1024.0 / 1024.0:F2} MB in {watch.Elapsed.TotalSeconds:F1} s ({htmlPath}).");
        Assert.Equal(CnnReportGenerator.DefaultSections().Count, report.Parts.Count);
        Assert.True(size < 6L * 1024 * 1024, $"report is {size} bytes; 8 images should stay well under 8 MB");

        using var browser = new HeadlessChromium();
        var render = Stopwatch.StartNew();
        browser.Open(htmlPath, report.ChartCount, TimeSpan.FromSeconds(150));
        output.WriteLine($"Chromium drew the page in {render.Elapsed.TotalSeconds:F1} s.");

        var driver = browser.Driver;
        var containers = driver.FindElements(By.CssSelector($"div.{ChartBlock.ChartCssClass}"));
        Assert.Equal(report.ChartCount, containers.Count);
        Assert.Equal(report.ChartCount, browser.CountElements(".js-plotly-plot"));
        Assert.Equal(report.ChartCount, browser.CountElements($"div.{ChartBlock.ChartCssClass} .js-plotly-plot svg.main-svg:first-of-type"));
        foreach (var container in containers)
        {
            var plot = Assert.Single(container.FindElements(By.CssSelector(".js-plotly-plot")));
            Assert.NotEmpty(plot.FindElements(By.CssSelector("svg.main-svg")));
            Assert.True(plot.Size.Width > 100 && plot.Size.Height > 100, $"{container.GetAttribute("data-kind")} chart is {plot.Size}");
        }

        // Every map of every heatmap grid was rasterised: 8 images × (6 + 12) maps, kernels, worked example.
        var expectedMaps = report.Parts.SelectMany(s => s.Blocks).OfType<MlNetCnn.Reporting.Blocks.HeatmapGrid>().Sum(g => g.Channels);
        Assert.Equal(expectedMaps, browser.CountElements("[data-kind=heatmap-grid] g.hm image"));

        // Hover on a feature map shows channel, position and activation.
        var firstMap = driver.FindElements(By.CssSelector("[data-kind=heatmap-grid]"))[0].FindElement(By.CssSelector(".nsewdrag"));
        new OpenQA.Selenium.Interactions.Actions(driver).MoveToElement(firstMap).Perform();
        var hover = browser.WaitForText("return Array.from(document.querySelectorAll('.hoverlayer .hovertext')).map(e => e.textContent).join(' | ');");
        Assert.Contains("row ", hover, StringComparison.Ordinal);
        Assert.Contains("activation: ", hover, StringComparison.Ordinal);
        new OpenQA.Selenium.Interactions.Actions(driver).MoveToElement(driver.FindElement(By.TagName("h1"))).Perform();

        var pageErrors = browser.PageErrors();
        var severe = browser.SevereLogEntries();
        Assert.True(pageErrors.Count == 0, "page errors:\n" + string.Join("\n", pageErrors));
        Assert.True(severe.Count == 0, "SEVERE browser log entries:\n" + string.Join("\n", severe));

        foreach (var screenshot in browser.SaveFullPageScreenshots(Path.Combine(outDir, "cnn-report")))
            output.WriteLine($"Screenshot: {screenshot}");
    }
}
