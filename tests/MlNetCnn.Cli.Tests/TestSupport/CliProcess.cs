using System.Diagnostics;
using System.Globalization;

namespace MlNetCnn.Cli.Tests.TestSupport;

/// <summary>
/// The built CLI (mlnetcnn.dll beside the test assembly) as a real process: for what only a process has — signals,
/// its own standard streams (closed, full, a broken pipe), its own locale.
/// </summary>
internal static class CliProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "mlnetcnn.dll");

    /// <summary>Starts <c>mlnetcnn args…</c> with stdout and stderr captured and <paramref name="environment"/> added.</summary>
    public static Process Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        // Through env --default-signal=INT (coreutils, which execs dotnet in the same process): a test host started as a
        // background job of a non-interactive shell inherits SIGINT ignored, a disposition children keep and the CLI
        // rightly honours (as every program run with `cmd &` does), so a Ctrl+C test would wait out its timeout.
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        return Process.Start(start)!;
    }

    /// <summary>Runs <c>mlnetcnn args…</c> to the end; returns its exit code, stdout and stderr.</summary>
    public static async Task<(int Code, string Output, string Error)> Run(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(args, environment);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>
    /// Runs <c>mlnetcnn args…</c> through <c>sh</c> with <paramref name="redirections"/> applied to the CLI itself (e.g.
    /// <c>&gt;&amp;- 2&gt;&amp;-</c>, <c>&gt;/dev/full</c>, or <c>| true</c> for a reader that is gone); returns its exit code.
    /// </summary>
    public static async Task<int> RunWithStreams(string redirections, IEnumerable<string> args)
    {
        using var temp = new MlNetCnn.Tests.TestSupport.TempDirectory();
        var codeFile = temp.Combine("code");
        // The CLI's own exit code, also when its stdout is a pipe into another command.
        var pipe = redirections.IndexOf('|', StringComparison.Ordinal);
        var script = pipe >= 0
            ? $"{{ dotnet \"$@\" {redirections[..pipe]}; echo $? > '{codeFile}'; }} {redirections[pipe..]}"
            : $"dotnet \"$@\" {redirections}; echo $? > '{codeFile}'";
        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-c", script, "sh", Dll }.Concat(args)) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        await Task.WhenAll(output, error);
        return int.Parse(File.ReadAllText(codeFile).Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Sends <paramref name="signal"/> (TERM, INT, …) to <paramref name="process"/>.</summary>
    public static async Task<bool> Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        // kill fails only when the process is gone: the signal reached nothing.
        return kill.ExitCode == 0;
    }

    /// <summary>
    /// Waits until <paramref name="process"/> has mapped libtorch: it is inside a verb's work, past start-up and parsing.
    /// False when the process ended first (a quick verb on a fast machine can map libtorch and finish between two
    /// looks); it throws when the process is still running after 2 minutes without libtorch.
    /// </summary>
    public static async Task<bool> WaitForLibtorch(Process process)
    {
        var maps = $"/proc/{process.Id}/maps";
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2) && !process.HasExited)
        {
            try
            {
                if ((await File.ReadAllTextAsync(maps)).Contains("libtorch_cpu.so", StringComparison.Ordinal)) return true;
            }
            catch (IOException)
            {
                // The process is ending; HasExited says so next.
            }
            await Task.Delay(5);
        }
        if (process.HasExited) return false;
        throw new InvalidOperationException("the CLI ran 2 minutes without loading libtorch");
    }
}
