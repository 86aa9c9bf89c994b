using System.Text.RegularExpressions;
using MlNetCnn.Experiments;
using MlNetCnn.Experiments.Figures;
using MlNetCnn.Experiments.PixelPermutation;
using MlNetCnn.IO;
using MlNetCnn.Reporting;
using MlNetCnn.Reporting.Blocks;
using MlNetCnn.Reporting.Experiments;

namespace MlNetCnn.Tests.Reporting.Experiments;

public class ExperimentSectionRendererTests
{
    /// <summary>A result with every kind of figure: 2 heatmaps (one over a background picture), 1 picture row, a line and a bar chart, 1 table.</summary>
    internal static ExperimentResult Sample(Verdict verdict = Verdict.Supported) => new()
    {
        Name = "sample",
        Title = "Sample experiment",
        Hypothesis = "Convolutions <see> neighbourhoods.",
        Verdict = verdict,
        Explanation = "Accuracy fell from 47.1% to 38.2%, beyond two standard errors (2.9%).",
        KeyMeasurements = ["a.accuracy", "b.count"],
        Measurements =
        [
            new Measurement("a.accuracy", 0.4713, MeasurementUnit.Accuracy),
            new Measurement("b.count", 12, MeasurementUnit.Pixels),
            new Measurement("c.p-value", 0.000012, MeasurementUnit.PValue),
            new Measurement("d.unmeasured", double.NaN),
        ],
        Heatmaps =
        [
            new HeatmapFigure("maps", Enumerable.Range(0, 2 * 4 * 4).Select(i => (float)i).ToArray(), 2, 4, 4, ["ch 0", "ch 1"]),
            new HeatmapFigure("saliency over image", Enumerable.Range(0, 8 * 8).Select(i => (float)Math.Sin(i)).ToArray(), 1, 8, 8, ["image 0"],
                HeatmapScale.Diverging, new ImagePanel("image 0", Enumerable.Repeat(0.5f, 8 * 8).ToArray(), 1, 8, 8)),
        ],
        Images = [new ImageFigure("pictures", [new ImagePanel("red", Enumerable.Repeat(1f, 3 * 6 * 6).ToArray(), 3, 6, 6), new ImagePanel("grey", new float[36], 1, 6, 6)])],
        Charts =
        [
            new ChartFigure("error vs shift", ChartKind.Line, "shift", "relative error", [new ChartSeries("conv1", [0, 1, 2], [0, 0.1, double.NaN]), new ChartSeries("conv2", [0, 1, 2], [0, 0.2, 0.3])]),
            new ChartFigure("accuracy", ChartKind.Bar, "input", "accuracy", [new ChartSeries("probe", [0, 1], [0.3, 0.4], ["pixels", "conv1"]), new ChartSeries("cnn", [0, 1], [0.5, 0.5], ["pixels", "conv1"])]),
        ],
        Tables = [new TableFigure("details", ["layer", "value"], [["conv1", "1.5"], ["conv2", "2.5"]])],
        Elapsed = TimeSpan.FromSeconds(12.34),
    };

    private static (PagePart Section, string Html) Render(ExperimentRun run)
    {
        var report = new ReportDocument("t");
        var section = ExperimentSectionRenderer.AddTo(report, run);
        return (section, report.ToHtml());
    }

    [Theory]
    [InlineData(Verdict.Supported, "Supported", "positive")]
    [InlineData(Verdict.NotSupported, "Not supported", "negative")]
    [InlineData(Verdict.Inconclusive, "Inconclusive", "neutral")]
    public void VerdictIsStatedAndStyledWithTheGeneratedExplanation(Verdict verdict, string text, string tone)
    {
        var result = Sample(verdict);
        var (section, html) = Render(new ExperimentRun(result.Name, result, null, result.Elapsed));

        Assert.Equal("Sample experiment", section.Title);
        Assert.Contains("Hypothesis: Convolutions <see> neighbourhoods.", section.Explanation);
        var callout = Assert.IsType<Callout>(section.Blocks[0]);
        Assert.Equal("Verdict: " + text, callout.Label);
        Assert.Equal(result.Explanation, callout.Text);
        Assert.Contains($"<div class=\"mlnetcnn-callout tone-{tone}\" data-tone=\"{tone}\">", html);
        Assert.Contains("<p class=\"label\">Verdict: " + text + "</p>", html);
        Assert.Contains("Convolutions &lt;see&gt; neighbourhoods.", html); // escaped, not markup
        Assert.Contains("run time 12.3 s", html);
    }

    [Fact]
    public void MeasurementTableListsNameValueAndUnitOfEveryMeasurement()
    {
        var table = ExperimentSectionRenderer.MeasurementTable(Sample());
        Assert.Equal(["measurement", "value", "unit"], table.Header);
        Assert.Equal(
            [["a.accuracy", "0.4713", "accuracy"], ["b.count", "12", "px"], ["c.p-value", "1.2E-5", "p"], ["d.unmeasured", "n/a", ""]],
            table.Rows.Select(r => r.ToArray()).ToArray());
        Assert.Equal("a.accuracy 47.1%, b.count 12 px", ExperimentText.KeyNumbers(Sample()));
    }

    [Fact]
    public void EveryFigureBecomesOneBlockOfTheMatchingKind()
    {
        var result = Sample();
        var blocks = ExperimentSectionRenderer.Blocks(result);

        var grids = blocks.OfType<HeatmapGrid>().ToArray();
        Assert.Equal(result.Heatmaps.Select(h => h.Title), grids.Select(g => g.Title));
        Assert.Equal([2, 1], grids.Select(g => g.Channels));
        Assert.Equal(["ch 0", "ch 1"], grids[0].ChannelLabels);
        Assert.False(grids[0].Diverging);
        Assert.True(grids[1].Diverging);

        // One strip per picture figure, plus the picture a heatmap is drawn over.
        var strips = blocks.OfType<ImageStrip>().ToArray();
        Assert.Equal(2, strips.Length);
        Assert.Equal(["image 0"], strips[0].Images.Select(i => i.Caption));
        Assert.Equal(["red", "grey"], strips[1].Images.Select(i => i.Caption));
        Assert.All(strips.SelectMany(s => s.Images), i => Assert.Equal(3 * i.Height * i.Width, i.Rgb.Length)); // grey → RGB

        var line = Assert.Single(blocks.OfType<LineChart>());
        Assert.Equal("error vs shift", line.Title);
        Assert.Equal(["conv1", "conv2"], line.Series.Select(s => s.Name));
        var bar = Assert.Single(blocks.OfType<BarChart>());
        Assert.Equal(["pixels", "conv1"], bar.Categories);

        var tables = blocks.OfType<Table>().ToArray();
        Assert.Equal(["Measurements", "details"], tables.Select(t => t.Title));
        Assert.Equal(result.Heatmaps.Count + result.Images.Count + 1 + result.Charts.Count + result.Tables.Count + 3, blocks.Count); // + callout, run time, measurements

        var report = new ReportDocument("t");
        ExperimentSectionRenderer.AddTo(report, result);
        Assert.Equal(result.Heatmaps.Count + result.Images.Count + 1 + result.Charts.Count, report.ChartCount);
    }

    [Fact]
    public void AFailedRunRendersAsAFailureWithItsReason()
    {
        var run = new ExperimentRun("permutation", null, new InvalidOperationException("libtorch ran out of <memory>"), TimeSpan.FromSeconds(3));
        var (section, html) = Render(run);

        Assert.Equal(new PixelPermutationExperiment().Title, section.Title); // looked up in the registry
        Assert.Contains(new PixelPermutationExperiment().Hypothesis, section.Explanation);
        var callout = Assert.IsType<Callout>(Assert.Single(section.Blocks));
        Assert.Equal(CalloutTone.Error, callout.Tone);
        Assert.StartsWith("Failed", callout.Label);
        Assert.Contains("InvalidOperationException: libtorch ran out of <memory>", callout.Text);
        Assert.Contains("3.0 s", callout.Text);
        Assert.Contains("libtorch ran out of &lt;memory&gt;", html);
        Assert.Equal(0, section.ChartCount);
    }

    [Fact]
    public void PageStartsWithASummaryOfEveryRun()
    {
        var ok = Sample(Verdict.NotSupported);
        var runs = new[]
        {
            new ExperimentRun(ok.Name, ok, null, ok.Elapsed),
            new ExperimentRun("unknown-thing", null, new TimeoutException("too slow"), TimeSpan.FromSeconds(1)),
        };
        var report = ExperimentReport.Create(runs, new ExperimentReportOptions { Subtitle = "synthetic" });

        Assert.Equal(["Summary", "Sample experiment", "unknown-thing"], report.Parts.Select(s => s.Title));
        Assert.Equal("2 experiments in 13.3 s: 1 not supported, 1 failed. Each section below states the hypothesis, the verdict with the numbers behind it, every measurement and the figures.",
            report.Parts[0].Explanation);
        var summary = Assert.IsType<Table>(Assert.Single(report.Parts[0].Blocks));
        Assert.Equal(ExperimentReport.SummaryColumns, summary.Header);
        Assert.Equal(["Sample experiment (sample)", "Not supported", "a.accuracy 47.1%, b.count 12 px", "12.3"], summary.Rows[0]);
        Assert.Equal(["unknown-thing (unknown-thing)", "Failed", "too slow", "1.0"], summary.Rows[1]);

        // The same sections can follow the CNN report's own.
        var builders = ExperimentReport.Sections(runs);
        Assert.Equal(["Experiments: summary", "Experiment: Sample experiment", "Experiment: unknown-thing"], builders.Select(b => b.Title));
    }

    [Fact]
    public void SavingRefusesAnExistingFileWithoutOverwrite()
    {
        using var temp = new TestSupport.TempDirectory();
        var path = temp.Combine("e.html");
        var result = Sample();
        var runs = new[] { new ExperimentRun(result.Name, result, null, result.Elapsed) };
        ExperimentReport.Write(path, runs);
        Assert.Matches(new Regex("data-kind=\"callout\""), File.ReadAllText(path));
        Assert.Throws<OutputFileExistsException>(() => ExperimentReport.Write(path, runs));
        ExperimentReport.Write(path, runs, overwrite: true);
    }
}
