using System.Diagnostics;
using MlNetCnn.Cli.Tests.TestSupport;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Cli.Tests.Options;

/// <summary>
/// Issue 27: "is the output writable?" is asked once per run. Every verb checks its outputs before any work
/// (<c>CommonOptions.EnsureWritable</c>) and hands the answer to the library's save, which does not ask again. Counted from
/// outside: each check creates and deletes one probe file (<c>.write-check.…</c>) in the output's folder, which strace sees.
/// </summary>
public class OutputCheckedOnceTests
{
    private static readonly string Data = SharedData.CifarDirectory;

    [StraceFact]
    public void EveryVerbChecksEachOutputOnceARun()
    {
        using var temp = new TempDirectory();
        var model = temp.Combine("model.zip");
        var runs = new (string Verb, int Outputs, string[] Args)[]
        {
            ("train", 1, ["train", "--data", Data, "--epochs", "1", "--max-train", "40", "--output", model]),
            ("report", 1, ["report", "--model", model, "--data", Data, "--images", "0,1", "--no-explorer", "--no-feature-visualization", "--output", temp.Combine("report.html")]),
            ("explain", 1, ["explain", "--model", model, "--data", Data, "--images", "0,1", "--methods", "saliency", "--output", temp.Combine("explain.html")]),
            ("export", 1, ["export", "--model", model, "--output", temp.Combine("model.onnx")]),
            ("features", 2, ["features", "--model", model, "--data", Data, "--steps", "5", "--output", temp.Combine("features")]),
            ("experiment", 1, ["experiment", "receptive-field", "--quick", "--threads", "1", "--data", Data, "--output", temp.Combine("experiments.html")]),
            // The experiments run between the report's scan and its rendering: still one check of the page.
            ("report --experiments", 1, ["report", "--model", model, "--data", Data, "--images", "0", "--no-explorer", "--no-feature-visualization",
                "--experiments", "receptive-field", "--output", temp.Combine("report-with-experiments.html")]),
            // The one-shot default writes its model under artifacts/ in the working folder, and the page.
            ("the default command", 2, ["--data", Data, "--epochs", "1", "--max-train", "40", "--output", temp.Combine("run.html")]),
        };
        foreach (var (verb, outputs, args) in runs)
        {
            var log = temp.Combine(verb.Replace(' ', '-') + ".strace");
            var (code, error) = UnderStrace(log, temp.Path, [.. args, "-q"]);
            Assert.True(code == 0, $"{verb} exited {code}: {error}");
            var checks = File.ReadLines(log).Count(l => l.Contains("write-check", StringComparison.Ordinal) && l.Contains("O_CREAT", StringComparison.Ordinal));
            Assert.True(checks == outputs, $"{verb}: the output check ran {checks} times for {outputs} output(s)");
        }
    }

    private static (int Code, string Error) UnderStrace(string log, string workingDirectory, string[] args)
    {
        var strace = StraceFactAttribute.Strace ?? throw new InvalidOperationException(
            $"strace is not on PATH, and {StraceFactAttribute.RequireVariable}=1 says this machine must have it (Debian: apt-get install strace).");
        // Only openat is stopped on (seccomp-bpf), so the traced CLI runs at nearly its own speed.
        var start = new ProcessStartInfo(strace) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var argument in new[] { "-f", "--seccomp-bpf", "-e", "trace=openat", "-o", log, "dotnet", CliProcess.Dll }.Concat(args))
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), $"{args[0]} under strace did not end within 5 minutes");
        return (process.ExitCode, output.Result + error.Result);
    }
}
