using MlNetCnn.Attribution;
using MlNetCnn.Experiments.ExplanationFaithfulness;
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

    [Fact]
    public void ALeadWithinNoiseIsATieNotAWin()
    {
        string[] methods = ["Saliency", "Grad-CAM"];
        // Per-image deletion areas: random 0.125 on every image; the methods a few thousandths lower on average, but
        // not on every image (Saliency) or by a spread as wide as the lead (Grad-CAM): what a page of 3 images shows.
        var random = Curves("random", 0.125, 0.125, 0.125);
        var noisy = new[] { Curves("saliency", 0.124, 0.126, 0.121), Curves("gradcam", 0.115, 0.125, 0.123) }
            .Select(c => FaithfulnessScore.Against(c, random)).ToArray();
        var text = ExplanationSection.ComparedWithRandom(methods, noisy, images: 3);
        Assert.StartsWith("Here Grad-CAM has the smallest deletion area (0.121), but no method's lead over random is beyond noise", text, StringComparison.Ordinal);
        Assert.DoesNotContain("beats random", text, StringComparison.Ordinal);

        // A lead far beyond its spread is a win, and a smallest area whose lead is noisy is said to be so.
        var clear = new[] { Curves("saliency", 0.100, 0.101, 0.099), Curves("gradcam", 0.050, 0.150, 0.090) }
            .Select(c => FaithfulnessScore.Against(c, random)).ToArray();
        Assert.Equal("Here Grad-CAM has the smallest deletion area (0.097); Saliency beats random on deletion by more than twice the standard error " +
                     "of the per-image lead, by 0.0250 (20% of random's area), and Grad-CAM's own lead is within noise.",
            ExplanationSection.ComparedWithRandom(methods, clear, images: 3));

        // One image has no standard error: nothing can be told from noise.
        var one = new[] { Curves("saliency", 0.01), Curves("gradcam", 0.02) }.Select(c => FaithfulnessScore.Against(c, Curves("random", 0.125))).ToArray();
        Assert.EndsWith("but with one image no lead over random can be told from noise.", ExplanationSection.ComparedWithRandom(methods, one, images: 1), StringComparison.Ordinal);
    }

    // Flat curves over [0, 1]: each image's deletion (and insertion) area is its value.
    private static FaithfulnessCurves Curves(string method, params double[] areas) =>
        new(method, [0.0, 1.0], [.. areas.Select(a => new[] { a, a })], [.. areas.Select(a => new[] { a, a })]);

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
