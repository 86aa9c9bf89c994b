using MlNetCnn.Cli.Kernel;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Cli.Tests.Commands;

/// <summary><c>mlnetcnn experiment</c> in-process: the page written, unknown names, protected output.</summary>
[Collection("console")]
public class ExperimentCommandTests
{
    [Fact]
    public async Task QuickExperimentWritesItsReportAndRefusesToOverwriteIt()
    {
        using var temp = new TempDirectory();
        var html = temp.Combine("out", "experiments.html");
        string[] Args(params string[] extra) =>
            new[] { "experiment", "linear-probes", "--quick", "--data", SharedData.CifarDirectory, "--output", html, "--threads", "1", "-q" }.Concat(extra).ToArray();

        Assert.Equal(ExitCodes.Success, await CliApplication.RunAsync(Args()));
        var page = File.ReadAllText(html);
        Assert.Contains("<html", page);
        Assert.Contains("Linear probes on pixels and feature maps", page);
        Assert.Contains("Verdict: ", page);
        Assert.Contains("data-kind=\"bar-chart\"", page);
        Assert.Contains("conv2.accuracy", page);
        Assert.DoesNotContain("<script src=\"http", page);
        var written = File.GetLastWriteTimeUtc(html);

        Assert.Equal(ExitCodes.OutputExists, await CliApplication.RunAsync(Args()));
        Assert.Equal(written, File.GetLastWriteTimeUtc(html));
        Assert.Equal([html], Directory.GetFiles(Path.GetDirectoryName(html)!)); // no temporary left behind
    }

    [Fact]
    public async Task AnExperimentRunPrintsItsEstimatedTimeFirstAndQuickSaysItsVerdictsAreSmokeOnly()
    {
        using var temp = new TempDirectory();
        var html = temp.Combine("e.html");
        var (code, output) = await TestSupport.InProcessCli.Run(
            "experiment", "receptive-field", "--quick", "--data", SharedData.CifarDirectory, "--output", html, "--threads", "1", "-q");
        Assert.True(code == ExitCodes.Success, output);
        var estimate = output.IndexOf("Estimated time: about ", StringComparison.Ordinal);
        var verdict = output.IndexOf("receptive-field: ", StringComparison.Ordinal);
        Assert.True(estimate >= 0 && verdict > estimate, output);
        Assert.Contains("--quick is a smoke run: its budget is too small for a verdict", output, StringComparison.Ordinal);
        Assert.Contains("[--quick: smoke run, verdict not evidence]", output, StringComparison.Ordinal);
        Assert.Contains("--quick is a smoke run", File.ReadAllText(html), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownExperimentIsAUsageErrorThatListsTheValidNames()
    {
        using var temp = new TempDirectory();
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            var code = await CliApplication.RunAsync(new[] { "experiment", "frobnicate", "--data", SharedData.CifarDirectory, "--output", temp.Combine("e.html"), "-q" });
            Assert.Equal(ExitCodes.UsageError, code);
        }
        finally
        {
            Console.SetError(previous);
        }

        var message = error.ToString();
        Assert.Contains("frobnicate", message);
        foreach (var name in new[] { "all", "permutation", "equivariance", "linear-probes", "explanations" })
            Assert.Contains(name, message);
        Assert.False(File.Exists(temp.Combine("e.html")));
    }

    [Fact]
    public async Task ExistingOutputIsRefusedBeforeAnyWork()
    {
        using var temp = new TempDirectory();
        var html = temp.Combine("e.html");
        File.WriteAllText(html, "keep");
        var code = await CliApplication.RunAsync(new[] { "experiment", "all", "--data", temp.Combine("no-data-needed"), "--output", html, "-q" });
        Assert.Equal(ExitCodes.OutputExists, code);
        Assert.Equal("keep", File.ReadAllText(html));
    }

    [Fact]
    public async Task ReportCanAppendExperimentSectionsForTheSavedModel()
    {
        using var temp = new TempDirectory();
        var model = temp.Combine("model.zip");
        var html = temp.Combine("report.html");
        var data = SharedData.CifarDirectory;
        Assert.Equal(ExitCodes.Success, await CliApplication.RunAsync(new[] { "train", "--data", data, "--epochs", "1", "--max-train", "40", "--output", model, "-q" }));

        Assert.Equal(ExitCodes.UsageError, await CliApplication.RunAsync(new[] { "report", "--model", model, "--data", data, "--output", html, "--experiments", "nope", "-q" }));
        Assert.False(File.Exists(html));

        Assert.Equal(ExitCodes.Success, await CliApplication.RunAsync(new[] { "report", "--model", model, "--data", data, "--output", html, "--images", "0", "--experiments", "receptive-field", "-q" }));
        var page = File.ReadAllText(html);
        Assert.Contains("Experiments: summary", page);
        Assert.Contains("Receptive fields: theory and measurement", page);
        Assert.Contains("Verdict: ", page);
    }

    [Theory]
    [InlineData("5", new[] { 1, 2, 3, 4, 5 })]
    [InlineData("1", new[] { 1 })]
    [InlineData("3,7,11", new[] { 3, 7, 11 })]
    [InlineData(" 0, 2 ", new[] { 0, 2 })]
    public void SeedsAreACountOrAList(string text, int[] expected) =>
        Assert.Equal(expected, Cli.Commands.ExperimentCommand.ParseSeeds(text));

    [Theory]
    [InlineData("0")]
    [InlineData("x")]
    [InlineData("3,3")]
    [InlineData("3,-1")]
    [InlineData("1.5")]
    [InlineData("101")]
    public async Task BadSeedsAreAUsageErrorNamingTheOption(string seeds)
    {
        using var temp = new TempDirectory();
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            var code = await CliApplication.RunAsync(new[] { "experiment", "all", "--seeds", seeds, "--data", SharedData.CifarDirectory, "--output", temp.Combine("e.html"), "-q" });
            Assert.Equal(ExitCodes.UsageError, code);
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.Contains("--seeds", error.ToString());
        Assert.False(File.Exists(temp.Combine("e.html")));
    }

    [Fact]
    public async Task SeveralSeedsPrintAndDrawTheOverallVerdict()
    {
        using var temp = new TempDirectory();
        var html = temp.Combine("seeds.html");
        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        int code;
        try
        {
            code = await CliApplication.RunAsync(new[] { "experiment", "receptive-field", "--quick", "--seeds", "2,5", "--data", SharedData.CifarDirectory, "--output", html, "--threads", "1" });
        }
        finally
        {
            Console.SetOut(previous);
        }

        Assert.Equal(ExitCodes.Success, code);
        var console = output.ToString();
        Assert.Contains("receptive-field (seed 2)", console);
        Assert.Contains("receptive-field (seed 5)", console);
        Assert.Contains("of 2 seeds agree", console);
        var page = File.ReadAllText(html);
        Assert.Contains("How the overall verdict is decided", page);
        Assert.Contains("data-kind=\"seed-spread\"", page);
    }
}
