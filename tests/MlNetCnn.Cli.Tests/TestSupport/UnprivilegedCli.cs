using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace MlNetCnn.Cli.Tests.TestSupport;

/// <summary>
/// Runs the CLI as a real process that permission bits bind: under root (the CI container) as user nobody through
/// setpriv, otherwise as the current user. Nobody cannot enter a checkout under a mode-700 folder (a <c>mktemp -d</c>
/// clone, root's home), so the CLI's build output is staged once into a world-readable folder under the system temp
/// folder (hard links where the file is already world-readable, copies otherwise) and run from there. Where even that
/// cannot be reached (no setpriv, a dotnet that nobody cannot run, a private temp folder) <see cref="SkipReason"/>
/// says why, and <see cref="UnprivilegedFactAttribute"/> skips with it.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static class UnprivilegedCli
{
    private const string Nobody = "65534";

    private static readonly UnixFileMode Traversable = UnixFileMode.OtherExecute;

    private static readonly Lazy<string?> WhyNot = new(FindObstacle);

    private static readonly Lazy<string> Staged = new(Stage);

    /// <summary>True when the process runs as root, so the CLI is started as nobody.</summary>
    public static bool AsRoot => Environment.UserName == "root";

    /// <summary>Why an unprivileged CLI cannot run here, or null when it can.</summary>
    public static string? SkipReason => WhyNot.Value;

    /// <summary>The staged copy of the CLI's build output (created on first use, deleted when the test process exits).</summary>
    public static string Directory => Staged.Value;

    /// <summary>Runs <c>mlnetcnn args…</c> from the staged copy with <c>HOME</c> = <paramref name="home"/>; returns the exit code and stderr.</summary>
    public static async Task<(int Code, string Error)> Run(string home, params string[] args)
    {
        if (SkipReason is { } why) throw new InvalidOperationException(why);
        var cli = Path.Combine(Directory, "mlnetcnn.dll");
        var start = AsRoot
            ? new ProcessStartInfo("setpriv", [$"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", Dotnet()!, cli, .. args])
            : new ProcessStartInfo("dotnet", [cli, .. args]);
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        start.WorkingDirectory = home;
        start.Environment["HOME"] = home;
        start.Environment["DOTNET_CLI_HOME"] = home;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await error);
    }

    /// <summary>The first directory on the way to <paramref name="path"/> (itself included) that other users cannot enter, or null.</summary>
    public static string? FirstClosedDirectory(string path)
    {
        for (var directory = new DirectoryInfo(Path.GetFullPath(path)); directory != null; directory = directory.Parent)
            if (directory.Exists && (directory.UnixFileMode & Traversable) == 0) return directory.FullName;
        return null;
    }

    private static string? FindObstacle()
    {
        if (!AsRoot) return null; // the current user runs the CLI and can reach its own checkout
        if (FindOnPath("setpriv") == null) return "Running as root needs setpriv (util-linux) to drop to user nobody; it is not on PATH.";
        if (Dotnet() is not { } dotnet) return "No dotnet on PATH for user nobody to run.";
        if (FirstClosedDirectory(Path.GetDirectoryName(dotnet)!) is { } closed)
            return $"User nobody cannot run {dotnet}: {closed} is closed to other users (mode {File.GetUnixFileMode(closed)}).";
        if (FirstClosedDirectory(Path.GetTempPath()) is { } closedTemp)
            return $"User nobody cannot reach the temp folder {Path.GetTempPath()}: {closedTemp} is closed to other users; set TMPDIR to a folder others can enter.";
        return null;
    }

    /// <summary>dotnet's real path (symbolic links resolved): the host finds its runtime beside it.</summary>
    private static string? Dotnet()
    {
        var onPath = FindOnPath("dotnet");
        if (onPath == null) return null;
        return File.ResolveLinkTarget(onPath, returnFinalTarget: true)?.FullName ?? onPath;
    }

    private static string? FindOnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, command)).FirstOrDefault(File.Exists);

    private static string Stage()
    {
        var source = AppContext.BaseDirectory;
        var target = System.IO.Directory.CreateTempSubdirectory("mlnetcnn-cli-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { System.IO.Directory.Delete(target, recursive: true); }
            catch (IOException) { } // best effort: a leftover copy must not fail the run
            catch (UnauthorizedAccessException) { }
        };
        const UnixFileMode open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                  UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(target, open);
        foreach (var directory in System.IO.Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
            File.SetUnixFileMode(System.IO.Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, directory))).FullName, open);
        foreach (var file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            var mode = File.GetUnixFileMode(file);
            // A hard link shares the file's mode: fine when others may already read it; otherwise a copy opened up.
            if ((mode & UnixFileMode.OtherRead) != 0 && link(file, destination) == 0) continue;
            File.Copy(file, destination);
            var readable = mode | UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            if ((mode & UnixFileMode.UserExecute) != 0) readable |= UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            File.SetUnixFileMode(destination, readable);
        }
        return target;
    }

    [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054 // a plain P/Invoke: the test project does not allow the unsafe code LibraryImport generates
    private static extern int link(string existing, string created);
#pragma warning restore SYSLIB1054
}
