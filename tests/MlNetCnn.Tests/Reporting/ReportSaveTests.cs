using MlNetCnn.IO;
using MlNetCnn.Reporting;

namespace MlNetCnn.Tests.Reporting;

public sealed class ReportSaveTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("mlnetcnn-report-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static ReportDocument Small()
    {
        var report = new ReportDocument("Small");
        report.AddPart("Only", "text");
        return report;
    }

    [Fact]
    public void SaveWritesCompletePageAndLeavesNoTemporaryFile()
    {
        var path = Path.Combine(dir, "report.html");
        Small().Save(path);

        var text = File.ReadAllText(path);
        Assert.StartsWith("<!DOCTYPE html>", text, StringComparison.Ordinal);
        Assert.EndsWith("</html>\n", text, StringComparison.Ordinal);
        Assert.Equal(["report.html"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void SaveRefusesToOverwriteWithoutFlagAndKeepsOldContent()
    {
        var path = Path.Combine(dir, "report.html");
        File.WriteAllText(path, "old");

        var ex = Assert.Throws<OutputFileExistsException>(() => Small().Save(path));

        Assert.IsAssignableFrom<IOException>(ex);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("overwrite", ex.Message, StringComparison.Ordinal);
        Assert.Equal(path, ex.FilePath);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public void SaveWithOverwriteReplacesTheFile()
    {
        var path = Path.Combine(dir, "report.html");
        File.WriteAllText(path, "old");

        Small().Save(path, overwrite: true);

        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public void SaveCreatesMissingDirectories()
    {
        var path = Path.Combine(dir, "a", "b", "report.html");
        Small().Save(path);
        Assert.True(File.Exists(path));
    }
}
