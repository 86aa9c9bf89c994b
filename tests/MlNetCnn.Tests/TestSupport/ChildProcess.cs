using System.Diagnostics;

namespace MlNetCnn.Tests.TestSupport;

/// <summary>Runs <c>dotnet</c> with arguments in a separate process: tests that need a fresh libtorch or a real CLI.</summary>
public static class ChildProcess
{
    /// <summary>Runs <c>dotnet arguments…</c> with extra environment variables; returns the exit code and stdout + stderr.</summary>
    public static (int ExitCode, string Output) RunDotnet(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value == null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        var limit = timeout ?? TimeSpan.FromMinutes(3);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {limit.TotalMinutes:F0} minutes\n" + stdout.Result + stderr.Result);
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
