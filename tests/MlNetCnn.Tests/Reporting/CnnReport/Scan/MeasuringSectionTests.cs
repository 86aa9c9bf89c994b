using MlNetCnn.Reporting.Blocks;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Reporting.CnnReport.Sections;

namespace MlNetCnn.Tests.Reporting.CnnReport.Scan;

/// <summary>"A new report section that needs new data is its own file plus one line" (issue 27), checked.</summary>
[Collection(CnnReportCollection.Name)]
public sealed class MeasuringSectionTests(CnnReportFixture fixture)
{
    [Fact]
    public void ASectionDefinedOutsideTheLibraryMeasuresEveryRowAndShowsItOnThePage()
    {
        // The one line: the new section in the generator's section list.
        var options = new CnnReportOptions { Sections = [new InputImagesSection(), new ConfusionSection(), new MeanBrightnessSection()] };
        var report = CnnReportGenerator.Create(fixture.Ml, fixture.Classifier.Model, fixture.Test, options);

        var part = Assert.Single(report.Parts, p => p.Title == "Mean brightness per class");
        var table = Assert.IsType<Table>(Assert.Single(part.Blocks));
        // An independent computation: every test image's pixels read through ML.NET, summed in float64 per class.
        var pixels = ReportDataCollectorTests.Pixels(fixture.Test);
        var labels = ReportDataCollectorTests.Labels(fixture.Test);
        Assert.Equal(CnnReportFixture.TestRows, pixels.Count);
        var classes = fixture.Classifier.Model.ClassNames;
        var html = report.ToHtml();
        for (var k = 0; k < classes.Count; k++)
        {
            var rows = Enumerable.Range(0, labels.Count).Where(r => labels[r] == k).ToList();
            var expected = rows.Count == 0 ? double.NaN : rows.Sum(r => pixels[r].Sum(v => (double)v)) / ((double)rows.Count * pixels[0].Length);
            Assert.Equal([classes[k], rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), MeanBrightnessSection.Format(expected)], table.Rows[k]);
            if (rows.Count > 0)
            {
                Assert.False(double.IsNaN(expected));
                Assert.Contains(MeanBrightnessSection.Format(expected), html, StringComparison.Ordinal);
            }
        }

        Assert.Contains($"Over {CnnReportFixture.TestRows} labelled test images.", part.Explanation, StringComparison.Ordinal);
        // The library's measuring sections beside it measure what they measure on the default page.
        var data = CnnReportGenerator.Measure(fixture.Ml, fixture.Classifier.Model, fixture.Test, options);
        Assert.Equal(ConfusionSection.Counts(fixture.Data).Counts, ConfusionSection.Counts(data).Counts);
        Assert.NotNull(data.Measurement<MeanBrightnessSection.Sums>());
    }

    [Fact]
    public void ASectionThatIsNotOnThePageMeasuresNothing()
    {
        var data = CnnReportGenerator.Measure(fixture.Ml, fixture.Classifier.Model, fixture.Test, new CnnReportOptions { Sections = [new InputImagesSection()] });
        Assert.Null(data.Measurement<MeanBrightnessSection.Sums>());
        Assert.Null(ExplorerSection.TopPatches(data));
        Assert.Throws<InvalidOperationException>(() => ConfusionSection.Counts(data));
        // The chosen images do not depend on which sections measure.
        Assert.Equal(fixture.Data.Samples.Select(s => s.Row), data.Samples.Select(s => s.Row));
    }
}
