using MlNetCnn.Cli.Kernel;
using MlNetCnn.Tests.TestSupport;
using SkiaSharp;

namespace MlNetCnn.Cli.Tests.Commands;

/// <summary>
/// <c>mlnetcnn features</c> (one PNG grid per layer) and <c>report --no-feature-visualization</c>, run in-process:
/// files written, the output checks before any work, bad options refused with exit codes.
/// </summary>
[Collection("console")]
public class FeaturesCommandTests
{
    private const string SectionTitle = "Features by depth";

    [Fact]
    public async Task FeaturesWritesOneGridPerLayerAndReportCanLeaveThemOut()
    {
        using var temp = new TempDirectory();
        var model = temp.Combine("model.zip");
        var data = SharedData.CifarDirectory;
        Assert.Equal(ExitCodes.Success, await CliApplication.RunAsync(["train", "--data", data, "--epochs", "1", "--max-train", "60", "--output", model, "-q"]));
        string[] Features(string folder, params string[] extra) => ["features", "--model", model, "--data", data, "--output", folder, "--steps", "20", "-q", .. extra];

        var folder = temp.Combine("pictures");
        Assert.Equal(ExitCodes.Success, await CliApplication.RunAsync(Features(folder, "--layers", "conv1,conv2,logits")));
        // One tile per channel (6, 12, 10 classes), 12 tiles per row at most, each a whole number of pixels per input pixel.
        foreach (var (layer, tiles) in new[] { ("conv1", 6), ("conv2", 12), ("logits", 10) })
        {
            using var png = SKBitmap.Decode(Path.Combine(folder, layer + ".png"));
            Assert.NotNull(png);
            Assert.True(png.Width > tiles * 8, $"{layer}.png is {png.Width} px wide for {tiles} tiles");
        }

        Assert.Equal(["conv1.png", "conv2.png", "logits.png"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // Without --force an existing picture is kept and nothing is optimized (exit 4); unknown layers and out-of-range steps are usage errors.
        var before = File.GetLastWriteTimeUtc(Path.Combine(folder, "conv1.png"));
        Assert.Equal(ExitCodes.OutputExists, await CliApplication.RunAsync(Features(folder, "--layers", "conv1")));
        Assert.Equal(before, File.GetLastWriteTimeUtc(Path.Combine(folder, "conv1.png")));
        Assert.Equal(ExitCodes.Success, await CliApplication.RunAsync(Features(folder, "--layers", "conv1", "--force")));
        Assert.Equal(ExitCodes.UsageError, await CliApplication.RunAsync(Features(temp.Combine("x"), "--layers", "conv9")));
        Assert.Equal(ExitCodes.UsageError, await CliApplication.RunAsync(Features(temp.Combine("y"), "--steps", "0")));
        Assert.Equal(ExitCodes.UsageError, await CliApplication.RunAsync(Features(temp.Combine("z"), "--objective", "max")));
        Assert.False(Directory.Exists(temp.Combine("x")) || Directory.Exists(temp.Combine("y")) || Directory.Exists(temp.Combine("z")));

        var report = temp.Combine("report.html");
        Assert.Equal(ExitCodes.Success, await CliApplication.RunAsync(["report", "--model", model, "--data", data, "--output", report, "--images", "0", "-q"]));
        var page = File.ReadAllText(report);
        Assert.Contains(SectionTitle, page);
        Assert.Contains("\"features\":", page);
        var plain = temp.Combine("plain.html");
        Assert.Equal(ExitCodes.Success, await CliApplication.RunAsync(["report", "--model", model, "--data", data, "--output", plain, "--images", "0", "--no-feature-visualization", "-q"]));
        var plainPage = File.ReadAllText(plain);
        Assert.DoesNotContain(SectionTitle, plainPage);
        Assert.DoesNotContain("\"features\":", plainPage);
    }
}
