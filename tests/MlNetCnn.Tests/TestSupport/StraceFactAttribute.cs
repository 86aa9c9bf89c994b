namespace MlNetCnn.Tests.TestSupport;

/// <summary>A fact that counts a child process's system calls with strace (Linux); skipped, saying why, where there is none.</summary>
public sealed class StraceFactAttribute : FactAttribute
{
    public StraceFactAttribute()
    {
        if (OperatingSystemRequirement.LinuxSkipReason is { } reason) Skip = reason;
        else if (Strace == null) Skip = "strace is not on PATH (Debian: apt-get install strace): the walk's system calls cannot be counted.";
    }

    /// <summary>strace's path, or null.</summary>
    public static string? Strace => ExecutableSearch.FindOnPath("strace", Environment.GetEnvironmentVariable("PATH") ?? "");
}
