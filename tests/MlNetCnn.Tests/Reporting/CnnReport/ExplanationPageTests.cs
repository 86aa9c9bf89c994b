using MlNetCnn.Reporting;
using MlNetCnn.Reporting.Blocks;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Reporting.CnnReport.Sections;

namespace MlNetCnn.Tests.Reporting.CnnReport;

/// <summary>The explanation page (`mlnetcnn explain`) comes from the generator, like the report.</summary>
[Collection(CnnReportCollection.Name)]
public sealed class ExplanationPageTests(CnnReportFixture fixture)
{
    [Fact]
    public void TheGeneratorsExplanationPageHoldsTheSectionBuiltFromTheChosenRowsAndNothingElse()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mlnetcnn-explain-{Guid.NewGuid():N}.html");
        try
        {
            long[] rows = [5, 2];
            var page = CnnReportGenerator.WriteExplanation(path, fixture.Ml, fixture.Classifier, fixture.Test, new ExplanationSection { Methods = ["saliency"] }, rows);

            Assert.True(File.Exists(path));
            Assert.Equal("Where the network looks", page.Title);
            Assert.Equal("2 test images, each explained by Saliency", page.Subtitle);
            Assert.True(string.IsNullOrWhiteSpace(page.Footer));
            var part = Assert.Single(page.Parts);
            // The same section built by hand on the same rows gives the same numbers.
            var data = CnnReportGenerator.Measure(fixture.Ml, fixture.Classifier.Model, fixture.Test, new CnnReportOptions { ImageIndices = rows, Sections = [new ExplanationSection()] });
            Assert.Equal(rows, data.Samples.Select(s => s.Row));
            var byHand = new ReportDocument("t");
            new ExplanationSection { Methods = ["saliency"] }.AddTo(byHand, data);
            Assert.Equal(Assert.IsType<Table>(byHand.Parts[0].Blocks[^1]).Rows, Assert.IsType<Table>(part.Blocks[^1]).Rows);
            Assert.Equal(byHand.Parts[0].Explanation, part.Explanation);
            Assert.Throws<MlNetCnn.IO.OutputFileExistsException>(() =>
                CnnReportGenerator.WriteExplanation(path, fixture.Ml, fixture.Classifier, fixture.Test, new ExplanationSection(), rows));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
