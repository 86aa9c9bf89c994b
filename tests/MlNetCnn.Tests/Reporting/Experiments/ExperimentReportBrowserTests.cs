using MlNetCnn.Experiments;
using MlNetCnn.Model;
using MlNetCnn.Reporting;
using MlNetCnn.Reporting.Blocks;
using MlNetCnn.Reporting.Experiments;
using MlNetCnn.Tests.Experiments;
using MlNetCnn.Tests.TestSupport;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace MlNetCnn.Tests.Reporting.Experiments;

/// <summary>Every experiment of the catalog (quick budget, small synthetic context) plus a failing one, on one page in headless Chromium.</summary>
[Collection(TorchSerialCollection.Name)]
public sealed class ExperimentReportBrowserTests(ITestOutputHelper output)
{
    private sealed class Broken : IExperiment
    {
        public string Name => "broken";
        public string Title => "An experiment that fails";
        public string Hypothesis => "Failures are reported, not hidden.";
        public ExperimentResult Run(ExperimentContext context) => throw new InvalidOperationException("deliberate failure");
    }

    [BrowserFact]
    public void ExperimentPageRendersEveryChartWithoutErrors()
    {
        var registry = new ExperimentRegistry([.. ExperimentRegistry.Default.All, new Broken()]);
        using var train = StreakImages.Create(96, seed: 11);
        using var test = StreakImages.Create(48, seed: 12);
        using var context = new ExperimentContext(train, test, ["horizontal", "vertical"])
        {
            Architecture = new ConvNetArchitecture { InputHeight = StreakImages.Side, InputWidth = StreakImages.Side, ClassCount = 2 },
            Budget = ExperimentBudget.Quick,
        };
        var runs = new ExperimentRunner(registry).RunAll(context);
        Assert.Equal(registry.Names, runs.Select(r => r.Name));
        Assert.All(runs.Where(r => r.Name != "broken"), r => Assert.True(r.Succeeded, $"{r.Name}: {r.Error}"));

        var outDir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(outDir);
        var htmlPath = Path.Combine(outDir, "experiments.html");
        var report = ExperimentReport.Write(htmlPath, runs, new ExperimentReportOptions { Registry = registry, Subtitle = "streak images, quick budget" }, overwrite: true);
        Assert.Equal(1 + runs.Count, report.Parts.Count);
        Assert.True(report.ChartCount >= 9, $"only {report.ChartCount} charts");
        output.WriteLine($"{report.ChartCount} charts, {new FileInfo(htmlPath).Length / 1e6:F1} MB");

        using var browser = new HeadlessChromium();
        browser.Open(htmlPath, report.ChartCount, TimeSpan.FromSeconds(150));
        var driver = browser.Driver;
        var containers = driver.FindElements(By.CssSelector($"div.{ChartBlock.ChartCssClass}"));
        Assert.Equal(report.ChartCount, containers.Count);
        foreach (var container in containers)
        {
            var plot = Assert.Single(container.FindElements(By.CssSelector(".js-plotly-plot")));
            Assert.NotEmpty(plot.FindElements(By.CssSelector("svg.main-svg")));
            Assert.True(plot.Size.Width > 50 && plot.Size.Height > 50, $"{container.GetAttribute("data-kind")} chart is {plot.Size}");
        }

        var expectedMaps = report.Parts.SelectMany(s => s.Blocks).OfType<HeatmapGrid>().Sum(g => g.Channels);
        Assert.Equal(expectedMaps, browser.CountElements("[data-kind=heatmap-grid] g.hm image"));
        var expectedTiles = report.Parts.SelectMany(s => s.Blocks).OfType<ImageStrip>().Sum(s => s.Images.Count);
        Assert.Equal(expectedTiles, browser.CountElements("[data-kind=image-strip] g.im image"));

        // One verdict box per successful experiment, one failure box, all visible.
        Assert.Equal(runs.Count(r => r.Succeeded), browser.CountElements(".mlnetcnn-callout:not(.tone-error)"));
        var failure = driver.FindElement(By.CssSelector(".mlnetcnn-callout.tone-error"));
        Assert.Contains("deliberate failure", failure.Text);
        Assert.Equal(runs.Count, driver.FindElements(By.CssSelector("section"))[0].FindElements(By.CssSelector("tbody tr")).Count);

        var pageErrors = browser.PageErrors();
        var severe = browser.SevereLogEntries();
        Assert.True(pageErrors.Count == 0, "page errors:\n" + string.Join("\n", pageErrors));
        Assert.True(severe.Count == 0, "SEVERE browser log entries:\n" + string.Join("\n", severe));
        browser.SaveFullPageScreenshots(Path.Combine(outDir, "experiments"));
    }
}
