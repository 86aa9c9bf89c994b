namespace MlNetCnn.Tests.TestSupport;

/// <summary>
/// Finds a tool the way a shell would, but safely on a machine being set up: a dangling link (an uninstall leaves one),
/// a folder or a file without an execute bit counts as absent instead of throwing, so tests that need the tool skip.
/// </summary>
public static class ExecutableSearch
{
    /// <summary>True when <paramref name="path"/> is, or links (through any number of links) to, an existing executable file.</summary>
    public static bool IsExecutableFile(string path)
    {
        try
        {
            var file = new FileInfo(path);
            // File.Exists is true for a dangling link (it looks at the link itself): follow links to what would run.
            var target = file.LinkTarget != null ? file.ResolveLinkTarget(returnFinalTarget: true) : file;
            if (target is not FileInfo { Exists: true } resolved) return false;
            return OperatingSystem.IsWindows() ||
                   (File.GetUnixFileMode(resolved.FullName) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // A link loop, an unreadable folder, a malformed path: not a tool we can run.
            return false;
        }
    }

    /// <summary>The first executable <paramref name="command"/> in the folders of <paramref name="path"/> (a PATH value), or null.</summary>
    public static string? FindOnPath(string command, string path) =>
        path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, command))
            .FirstOrDefault(IsExecutableFile);
}
