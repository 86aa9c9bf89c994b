using System.Diagnostics;

namespace MlNetCnn.Tests.TestSupport;

/// <summary>
/// The README's test command on a machine being set up: a skipped test prints why (Directory.Build.props asks for the
/// console verbosity at which xUnit does), and .ci/run's closing line (.ci/test-summary) still counts that output.
/// </summary>
public sealed class TestCommandTests
{
    [UnixFact]
    public void TheReadmeTestCommandPrintsEachSkipReasonAndTheCiSummaryCountsIt()
    {
        using var tools = new TempDirectory("mlnetcnn-no-browser");
        File.CreateSymbolicLink(tools.Combine("chromedriver"), tools.Combine("chromedriver-uninstalled"));   // dangling, as an uninstall leaves it
        var root = Repository.Root;
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        // This very test project, already built: two browser tests, which skip without Chromium.
        var (code, output) = Run(dotnet, root, ["test", Path.Combine(root, "tests", "MlNetCnn.Tests"), "-c", Configuration(), "--no-build",
                "--filter", "FullyQualifiedName~ExplorerBrowserTests"],
            start =>
            {
                foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MLNETCNN_", StringComparison.Ordinal) ||
                                                                     k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) ||
                                                                     k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
                    start.Environment.Remove(name);
                start.Environment["PATH"] = string.Join(Path.PathSeparator, tools.Path, Path.GetDirectoryName(Path.GetFullPath(dotnet)));
            });

        Assert.True(code == 0, output);
        Assert.Equal(2, output.Split('\n').Count(l => l.Contains("[SKIP]", StringComparison.Ordinal)));
        Assert.Equal(2, output.Split('\n').Count(l => l.Contains("Headless Chromium is not available (no executable chromium on PATH", StringComparison.Ordinal) &&
                                                      l.Contains("no executable chromedriver on PATH", StringComparison.Ordinal)));

        var log = tools.Combine("test.log");
        File.WriteAllText(log, output);
        var (summaryCode, summary) = Run(Path.Combine(root, ".ci", "test-summary"), root, [log], _ => { });
        Assert.Equal(0, summaryCode);
        Assert.Equal("0 passed, 0 failed, 2 skipped", summary.Trim());
    }

    [UnixFact]
    public void TheCiSummaryNamesEachFailedTestWithItsMessageAboveTheCounts()
    {
        using var tools = new TempDirectory("mlnetcnn-summary");
        var log = tools.Combine("test.log");
        File.WriteAllText(log, string.Join('\n',
            "  Passed MlNetCnn.Tests.A.First [1 s]",
            "  Failed MlNetCnn.Cli.Tests.B.Second(name: \"x\") [3 s]",
            "  Error Message:",
            "   Assert.True() Failure: the message",
            "  Passed MlNetCnn.Tests.A.Third [1 s]",
            "Total tests: 3",
            "     Passed: 2",
            "     Failed: 1",
            " Total time: 4 s",
            ""));

        var (code, summary) = Run(Path.Combine(Repository.Root, ".ci", "test-summary"), Repository.Root, [log], _ => { });

        Assert.Equal(0, code);
        var lines = summary.TrimEnd().Split('\n');
        Assert.Equal("2 passed, 1 failed, 0 skipped", lines[^1]);
        Assert.Contains("  Failed MlNetCnn.Cli.Tests.B.Second(name: \"x\") [3 s]", lines);
        Assert.Contains("   Assert.True() Failure: the message", lines);
        Assert.DoesNotContain(lines, l => l.Contains("Third", StringComparison.Ordinal));
    }

    private static (int Code, string Output) Run(string file, string directory, string[] args, Action<ProcessStartInfo> configure)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        configure(start);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish within 5 minutes.");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    // bin/<Configuration>/net10.0/<rid>/: the configuration this test assembly was built in, for --no-build.
    private static string Configuration()
    {
        var parts = AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        return parts[Array.LastIndexOf(parts, "bin") + 1];
    }

}
