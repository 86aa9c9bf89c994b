using MlNetCnn.Cli.Steps;
using MlNetCnn.Reporting;

namespace MlNetCnn.Cli.Tests.Steps;

/// <summary>The CNN report ends with a link to the experiments page, or with the command that writes it.</summary>
public sealed class ReportStepTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("mlnetcnn-report-link-");

    [Fact]
    public void AnExperimentsPageBesideTheReportIsLinked()
    {
        var folder = Directory.CreateDirectory(Path.Combine(dir.FullName, "my artifacts"));
        File.WriteAllText(Path.Combine(folder.FullName, "experiments.html"), "<html></html>");
        var link = ReportStep.ExperimentsLink(Path.Combine(folder.FullName, "report.html"));
        Assert.Equal("experiments.html", link.Href);

        var page = new ReportDocument("t");
        link.AddTo(page);
        Assert.Contains("<a href=\"experiments.html\">Open the experiments page</a>", page.ToHtml(), StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAnExperimentsPageTheSectionGivesTheCommandThatWritesItBesideTheReport()
    {
        var report = Path.Combine(dir.FullName, "out", "report.html");
        var link = ReportStep.ExperimentsLink(report);
        Assert.Null(link.Href);
        Assert.Equal($"mlnetcnn experiment all --output {Path.Combine(Path.GetRelativePath(".", Path.Combine(dir.FullName, "out")), "experiments.html")}", link.Command);

        var page = new ReportDocument("t");
        link.AddTo(page);
        Assert.Contains($"`{link.Command}` writes it", page.Parts[0].Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("<a href=", page.ToHtml().Split("<main>")[1], StringComparison.Ordinal);
    }

    public void Dispose() => dir.Delete(recursive: true);
}
