using MlNetCnn.Attribution;
using MlNetCnn.Reporting;
using MlNetCnn.Reporting.Blocks;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Reporting.CnnReport.Sections;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Transforms;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace MlNetCnn.Tests.Reporting.CnnReport.Sections;

/// <summary>"Where the network looks": content checked directly, then the page opened in headless Chromium.</summary>
[Collection(CnnReportCollection.Name)]
public sealed class ExplanationSectionTests(CnnReportFixture fixture, ITestOutputHelper output)
{
    private static readonly string[] TwoMethods = ["gradcam", "saliency"];

    [Fact]
    public void SectionShowsEachImageThenEachMethodsOverlayWithScoresAndATableAgainstRandom()
    {
        var report = new ReportDocument("t");
        var progress = new List<ReportProgress>();
        new ExplanationSection { Methods = TwoMethods, Target = AttributionTarget.Label, Progress = new ListProgress(progress) }.AddTo(report, fixture.Data);

        var section = Assert.Single(report.Parts);
        Assert.Equal("Where the network looks", section.Title);
        var strip = Assert.IsType<ImageStrip>(section.Blocks[0]);
        var samples = fixture.Data.Samples.Count;
        Assert.Equal(samples * 3, strip.Images.Count);
        Assert.Equal(3, strip.Columns);
        // Pages name methods as people do ("Grad-CAM"); the registry keys ("gradcam") stay for code and the CLI.
        Assert.StartsWith("Grad-CAM\ndeletion ", strip.Images[1].Caption, StringComparison.Ordinal);
        Assert.StartsWith("Saliency\ndeletion ", strip.Images[2].Caption, StringComparison.Ordinal);
        Assert.Contains("insertion ", strip.Images[2].Caption, StringComparison.Ordinal);
        Assert.All(strip.Images.SelectMany(i => i.Rgb), v => Assert.InRange(v, 0f, 1f));
        var table = Assert.IsType<Table>(section.Blocks[1]);
        Assert.Equal(["Grad-CAM", "Saliency", Faithfulness.RandomBaseline], table.Rows.Select(r => r[0]));
        Assert.Contains("(Grad-CAM and Saliency)", section.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("gradcam", section.Explanation, StringComparison.Ordinal);
        Assert.Contains(progress, p => p.Stage == "Explaining with Grad-CAM");
        Assert.Contains("its true class", section.Explanation, StringComparison.Ordinal);
        Assert.Equal(1.0, progress[^1].Fraction);
    }

    [Fact]
    public void InAReportTheProgressBarMovesThroughTheExplanationSectionNotJustPastIt()
    {
        var progress = new List<ReportProgress>();
        var options = new CnnReportOptions { ImageCount = 2, Sections = [new InputImagesSection(), new ExplanationSection { Methods = TwoMethods }] };
        CnnReportGenerator.Create(fixture.Ml, fixture.Classifier, fixture.Test, options, new ListProgress(progress));

        Assert.All(progress.Zip(progress.Skip(1)), p => Assert.True(p.Second.Fraction >= p.First.Fraction, $"{p.First} then {p.Second}"));
        var explaining = progress.Where(p => p.Stage == "Section: Where the network looks").Select(p => p.Fraction).Distinct().ToArray();
        // One report per method, the random baseline and the end, spread over most of the bar (the section is the slow part).
        Assert.True(explaining.Length >= 4, $"explanation progress: {string.Join(", ", explaining)}");
        Assert.True(explaining[^1] - explaining[0] > 0.5, $"explanation progress spans only {explaining[0]:F3}–{explaining[^1]:F3}");
        Assert.Equal(1.0, progress[^1].Fraction);
    }

    [Fact]
    public void ExplainingAFixedClassOrAnUnknownMethodFailsWithAClearMessage()
    {
        var report = new ReportDocument("t");
        Assert.Throws<ArgumentException>(() => new ExplanationSection { Target = AttributionTarget.FixedClass }.AddTo(report, fixture.Data));
        var unknown = Assert.Throws<KeyNotFoundException>(() => new ExplanationSection { Methods = ["lime"] }.AddTo(report, fixture.Data));
        Assert.Contains("gradcam", unknown.Message, StringComparison.Ordinal);
    }

    [BrowserFact]
    public void ExplanationPageRendersEveryOverlayWithoutErrorsInHeadlessChromium()
    {
        var outDir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(outDir);
        var htmlPath = Path.Combine(outDir, "explain.html");
        var report = new ReportDocument("Where the network looks");
        new ExplanationSection().AddTo(report, fixture.Data);
        report.Save(htmlPath, overwrite: true);

        using var browser = new HeadlessChromium();
        browser.Open(htmlPath, report.ChartCount, TimeSpan.FromSeconds(90));

        var methods = AttributionRegistry.Default.Names.Count;
        Assert.Equal(report.ChartCount, browser.CountElements(".js-plotly-plot"));
        Assert.Equal(fixture.Data.Samples.Count * (methods + 1), browser.CountElements("[data-kind=image-strip] g.im image"));
        var text = browser.Driver.FindElement(By.TagName("body")).Text;
        foreach (var name in AttributionRegistry.Default.Names)
        {
            Assert.Contains(AttributionRegistry.Default.DisplayName(name), text, StringComparison.Ordinal);
            if (name.Contains('-')) Assert.DoesNotContain(name, text, StringComparison.Ordinal); // keys are for code, not pages
        }
        Assert.Contains("deletion", text, StringComparison.Ordinal);
        var pageErrors = browser.PageErrors();
        var severe = browser.SevereLogEntries();
        Assert.True(pageErrors.Count == 0, "page errors:\n" + string.Join("\n", pageErrors));
        Assert.True(severe.Count == 0, "SEVERE browser log entries:\n" + string.Join("\n", severe));
        foreach (var screenshot in browser.SaveFullPageScreenshots(Path.Combine(outDir, "explain")))
            output.WriteLine($"Screenshot: {screenshot}");
    }

    private sealed class ListProgress(List<ReportProgress> values) : IProgress<ReportProgress>
    {
        public void Report(ReportProgress value) => values.Add(value);
    }
}
