using MlNetCnn.Reporting;
using MlNetCnn.Reporting.Blocks;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Reporting.CnnReport.Parts;
using MlNetCnn.Reporting.CnnReport.Sections;

namespace MlNetCnn.Tests.Reporting.CnnReport.Sections;

[Collection(CnnReportCollection.Name)]
public sealed class WorkedConvolutionTests(CnnReportFixture fixture)
{
    [Fact]
    public void WorkedExampleEndsInExactlyTheValueTheMapShows()
    {
        var data = fixture.Data;
        var w = WorkedConvolutionSection.Compute(data)!;
        var map = data.Samples[0].Maps[0];

        // The strongest unit of image 0 whose 3×3 field lies inside the image (rows and columns 1..30).
        Assert.InRange(w.Row, 1, 30);
        Assert.InRange(w.Col, 1, 30);
        var interior = Enumerable.Range(0, map.Length).Where(i => i % 32 is >= 1 and <= 30 && i / 32 % 32 is >= 1 and <= 30);
        Assert.Equal(interior.Max(i => map[i]), w.MapValue);
        Assert.Equal(map[(w.Channel * 32 + w.Row) * 32 + w.Col], w.MapValue);
        Assert.Equal(27, w.Products.Length);
        Assert.Equal(w.MapValue, w.Output, 1e-5);
        Assert.Equal(w.Sum + w.Bias, w.PreActivation, 12);
        var (weights, bias) = fixture.Classifier.Model.GetKernels("conv1");
        Assert.Equal(bias[w.Channel], w.Bias);
        Assert.Equal(weights.Skip(w.Channel * 27).Take(27), w.Kernel);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(31, 31)]
    [InlineData(0, 17)]
    [InlineData(13, 20)]
    public void EveryPositionIncludingZeroPaddedBordersReproducesThePreActivation(int row, int col)
    {
        var model = fixture.Classifier.Model;
        var image = fixture.Data.Samples[1].Image;
        var pre = new float[6 * 32 * 32];
        model.Infer(image, 1, null, [0], [pre], preActivation: true);
        var (weights, bias) = model.GetKernels("conv1");
        for (var c = 0; c < 6; c++)
        {
            var value = fixture.Data.Samples[1].Maps[0][(c * 32 + row) * 32 + col];
            var w = WorkedConvolution.Compute(image, 3, 32, 32, weights, bias, 3, c, row, col, value);
            Assert.Equal(pre[(c * 32 + row) * 32 + col], w.PreActivation, 1e-5);
            Assert.Equal(value, w.Output, 1e-5);
            var outside = (row == 0 || row == 31 ? 3 : 0) + (col == 0 || col == 31 ? 3 : 0) - (row is 0 or 31 && col is 0 or 31 ? 1 : 0);
            Assert.Equal(outside * 3, w.Padded.Count(p => p));
            Assert.All(Enumerable.Range(0, 27).Where(i => w.Padded[i]), i => Assert.Equal(0f, w.Patch[i]));
        }
    }

    [Fact]
    public void SectionStatesTheNumbersOfTheComputation()
    {
        var data = fixture.Data;
        var w = WorkedConvolutionSection.Compute(data)!;
        var report = new ReportDocument("t");
        new WorkedConvolutionSection().AddTo(report, data);
        var section = Assert.Single(report.Parts);
        var f5 = (double v) => v.ToString("F5", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"channel {w.Channel} at row {w.Row}, col {w.Col}, value {f5(w.MapValue)}", section.Explanation, StringComparison.Ordinal);
        Assert.Contains($"Σ x·w = {f5(w.Sum)}, plus bias {f5(w.Bias)} gives {f5(w.PreActivation)}", section.Explanation, StringComparison.Ordinal);
        Assert.Equal(3, section.Blocks.OfType<HeatmapGrid>().Count());
        var sums = section.Blocks.OfType<Table>().First();
        Assert.Equal(f5(w.MapValue), sums.Rows[^1][1]);
        Assert.Equal(f5(w.Output), sums.Rows[^2][1]);
        Assert.Equal(9, section.Blocks.OfType<Table>().Last().Rows.Count);
    }

    [Fact]
    public void EveryUnitTheDefaultReportNamesHasItsFieldInsideTheImage()
    {
        var report = CnnReportGenerator.Create(fixture.Data);
        var named = new System.Text.RegularExpressions.Regex(@"ch(?:annel)? (\d+) at row (\d+), col (\d+)");
        var architecture = fixture.Classifier.Model.Architecture;
        var checkedUnits = 0;
        foreach (var (whole, layer) in Named(report))
        {
            // The padding paragraph names a border unit on purpose; everything before it must name interior ones.
            var cut = whole.IndexOf("Why not a unit on the border?", StringComparison.Ordinal);
            var text = cut < 0 ? whole : whole[..cut];
            foreach (System.Text.RegularExpressions.Match m in named.Matches(text))
            {
                var (row, col) = (int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture));
                // Hand-worked bounds for the seed's layers (see StrongestUnitsTests): conv1 1..30, conv2 2..13.
                var (first, last) = layer == "conv1" ? (1, 30) : (2, 13);
                Assert.True(row >= first && row <= last && col >= first && col <= last, $"{layer} unit at row {row}, col {col} named by: {text}");
                checkedUnits++;
            }
        }

        Assert.True(checkedUnits >= fixture.Data.SampleCount * 2 + 1, $"only {checkedUnits} named units found");
        Assert.Equal(32, architecture.InputHeight);
    }

    // Every caption and explanation of the feature-map and worked-example sections, with the layer it is about.
    private static IEnumerable<(string Text, string Layer)> Named(ReportDocument report)
    {
        foreach (var section in report.Parts)
        {
            if (section.Title == new WorkedConvolutionSection().Title) yield return (section.Explanation ?? "", "conv1");
            if (section.Title != new FeatureMapsSection().Title) continue;
            foreach (var grid in section.Blocks.OfType<HeatmapGrid>())
                yield return (grid.Caption ?? "", grid.Title!.Contains("conv1", StringComparison.Ordinal) ? "conv1" : "conv2");
        }
    }

    [Fact]
    public void TheWorkedExampleSaysWhyBorderUnitsLightUpAndLinksToOneInTheExplorer()
    {
        var data = fixture.Data;
        var border = WorkedConvolutionSection.BorderUnit(data)!;
        Assert.False(MlNetCnn.Model.StrongestUnits.FieldInside(data.Model.Architecture, 0, border.Row, border.Col));
        var report = new ReportDocument("t");
        new WorkedConvolutionSection().AddTo(report, data);
        var section = Assert.Single(report.Parts);
        Assert.Contains("artificial dark-to-bright edge", section.Explanation, StringComparison.Ordinal);
        Assert.Contains($"channel {border.Channel} at row {border.Row}, col {border.Col}", section.Explanation, StringComparison.Ordinal);
        var html = report.ToHtml();
        Assert.Contains($"data-explorer-unit=\"0,0,{border.Channel},{border.Row},{border.Col}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenNoInteriorUnitIsActiveTheWorkedExampleAndCaptionFallBackToTheBorderAndSaySo()
    {
        // Image 0 as a model would map it if no unit inside were active: the real conv1 map with every interior unit
        // silenced (the border units keep the values the model computed, so the worked example still reproduces one).
        var data = fixture.Data;
        var sample = data.Samples[0];
        var conv1 = sample.Maps[0].ToArray();
        for (var i = 0; i < conv1.Length; i++)
            if (i % 32 is >= 1 and <= 30 && i / 32 % 32 is >= 1 and <= 30) conv1[i] = 0f;
        var silenced = new CnnReportData(data.Model, data.Options, data.Layers, [sample with { Maps = [conv1, .. sample.Maps.Skip(1)] }],
            data.RowCount, data.Sections, data.Measurements);

        var w = WorkedConvolutionSection.Compute(silenced)!;
        Assert.Equal(conv1.Max(), w.MapValue);
        Assert.Equal(w.MapValue, w.Output, 1e-5);
        Assert.True(w.Row is 0 or 31 || w.Col is 0 or 31);
        Assert.Contains("no unit whose 3×3 field lies inside the image is active", WorkedConvolutionSection.Explain(silenced, w, 0), StringComparison.Ordinal);
        Assert.StartsWith("Strongest response (no unit with its field inside the image is active, so this one sees padding): " +
                          $"ch {w.Channel} at row {w.Row}, col {w.Col}", FeatureMapsSection.DescribeMap(conv1, data.Layers[0], data.Model.Architecture), StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutConv1TheSectionSaysWhyItIsMissing()
    {
        var data = CnnReportGenerator.Measure(fixture.Ml, fixture.Classifier.Model, fixture.Test, new CnnReportOptions { Layers = ["conv2"], ImageCount = 2 });
        Assert.Null(WorkedConvolutionSection.Compute(data));
        var report = new ReportDocument("t");
        new WorkedConvolutionSection().AddTo(report, data);
        Assert.Contains("needs the first conv layer (conv1)", report.Parts[0].Explanation, StringComparison.Ordinal);
    }
}
