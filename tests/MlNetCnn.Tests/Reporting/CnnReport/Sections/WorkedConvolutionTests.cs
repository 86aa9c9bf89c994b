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

        // The most active position of the most active channel of image 0.
        Assert.Equal(map.Max(), w.MapValue);
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
        var section = Assert.Single(report.Sections);
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
    public void WithoutConv1TheSectionSaysWhyItIsMissing()
    {
        var data = CnnReportGenerator.Measure(fixture.Ml, fixture.Classifier.Model, fixture.Test, new CnnReportOptions { Layers = ["conv2"], ImageCount = 2 });
        Assert.Null(WorkedConvolutionSection.Compute(data));
        var report = new ReportDocument("t");
        new WorkedConvolutionSection().AddTo(report, data);
        Assert.Contains("needs the first conv layer (conv1)", report.Sections[0].Explanation, StringComparison.Ordinal);
    }
}
