using MlNetCnn.Cli.Kernel;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Cli.Tests.Commands;

/// <summary><c>mlnetcnn explain</c> and <c>report --explain</c> run in-process: pages written, bad options refused with exit codes.</summary>
[Collection("console")]
public class ExplainCommandTests
{
    [Fact]
    public async Task ExplainWritesTheComparisonPageAndRefusesBadOptions()
    {
        using var temp = new TempDirectory();
        var model = temp.Combine("model.zip");
        var html = temp.Combine("explain.html");
        var data = SharedData.CifarDirectory;
        Assert.Equal(ExitCodes.Success, await CliApplication.RunAsync(new[] { "train", "--data", data, "--epochs", "1", "--max-train", "60", "--output", model, "-q" }));
        string[] Explain(string output, params string[] extra) =>
            new[] { "explain", "--model", model, "--data", data, "--output", output, "-q" }.Concat(extra).ToArray();

        Assert.Equal(ExitCodes.Success, await CliApplication.RunAsync(Explain(html, "--methods", "gradcam,occlusion", "--images", "0,1", "--target", "label")));
        var page = File.ReadAllText(html);
        Assert.Contains("Where the network looks", page);
        // Methods are chosen by registry key and shown by display name.
        Assert.Contains("Grad-CAM", page);
        Assert.Contains("Occlusion", page);
        Assert.DoesNotContain("integrated-gradients", page);
        Assert.DoesNotContain("Integrated Gradients", page);

        Assert.Equal(ExitCodes.OutputExists, await CliApplication.RunAsync(Explain(html)));
        Assert.Equal(ExitCodes.UsageError, await CliApplication.RunAsync(Explain(temp.Combine("a.html"), "--methods", "lime")));
        Assert.Equal(ExitCodes.UsageError, await CliApplication.RunAsync(Explain(temp.Combine("b.html"), "--target", "everything")));
        Assert.Equal(ExitCodes.UsageError, await CliApplication.RunAsync(Explain(temp.Combine("c.html"), "--layer", "conv9")));
        Assert.False(File.Exists(temp.Combine("a.html")) || File.Exists(temp.Combine("b.html")) || File.Exists(temp.Combine("c.html")));

        var report = temp.Combine("report.html");
        Assert.Equal(ExitCodes.Success, await CliApplication.RunAsync(new[] { "report", "--model", model, "--data", data, "--output", report, "--images", "0", "--explain", "-q" }));
        var reportPage = File.ReadAllText(report);
        Assert.Contains("Where the network looks", reportPage);
        Assert.Contains("Grad-CAM", reportPage);
        // report --explain: the explanation links its image to the explorer on the same page; --no-explorer drops both.
        Assert.Contains("<a href=\"#explorer-image-1\">", reportPage);
        Assert.Contains("id=\"mlnetcnn-explorer-data\"", reportPage);
        var plain = temp.Combine("plain.html");
        Assert.Equal(ExitCodes.Success, await CliApplication.RunAsync(new[] { "report", "--model", model, "--data", data, "--output", plain, "--images", "0", "--explain", "--no-explorer", "-q" }));
        Assert.DoesNotContain("mlnetcnn-explorer-data", File.ReadAllText(plain));
        Assert.DoesNotContain("#explorer-image-", File.ReadAllText(plain));
    }
}
