namespace MlNetCnn.Cli.Tests.TestSupport;

/// <summary>A fact that runs the CLI unprivileged (<see cref="UnprivilegedCli"/>); skipped, saying why, where that is impossible.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UnprivilegedFactAttribute : FactAttribute
{
    public UnprivilegedFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "Unix permission bits: not on Windows.";
        else if (UnprivilegedCli.SkipReason is { } reason) Skip = reason;
    }
}
