namespace MlNetCnn.Tests.TestSupport;

/// <summary>A fact that counts a child process's system calls with strace (Linux); skipped, saying why, where there is none.</summary>
public sealed class StraceFactAttribute : FactAttribute
{
    public StraceFactAttribute()
    {
        if (OperatingSystemRequirement.LinuxSkipReason is { } reason) Skip = reason;
        // .ci/run installs strace and sets MLNETCNN_REQUIRE_STRACE=1: there a missing strace fails the test instead.
        else if (Strace == null && Environment.GetEnvironmentVariable(RequireVariable) != "1")
            Skip = "strace is not on PATH (Debian: apt-get install strace): the walk's system calls cannot be counted.";
    }

    /// <summary>Set to 1 where strace was installed on purpose (CI): the test then runs, and fails if it is missing.</summary>
    public const string RequireVariable = "MLNETCNN_REQUIRE_STRACE";

    /// <summary>strace's path, or null.</summary>
    public static string? Strace => ExecutableSearch.FindOnPath("strace", Environment.GetEnvironmentVariable("PATH") ?? "");
}
