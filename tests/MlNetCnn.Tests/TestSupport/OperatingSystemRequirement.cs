namespace MlNetCnn.Tests.TestSupport;

/// <summary>
/// Why a test that needs a particular operating system is skipped here; null where it can run. Read by
/// <c>LinuxFactAttribute</c>, <c>UnixFactAttribute</c> and <c>UnixTheoryAttribute</c>, so such a
/// test is reported as skipped, saying why, rather than passing without checking anything.
/// </summary>
public static class OperatingSystemRequirement
{
    /// <summary>Null on Linux; otherwise the reason a Linux-only test (e.g. one using <c>/dev/full</c>) is skipped.</summary>
    public static string? LinuxSkipReason =>
        OperatingSystem.IsLinux() ? null : $"Needs Linux (Linux-only device files or behaviour); this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}.";

    /// <summary>Null on Unix-like systems; on Windows the reason a test of named pipes, Unix sockets or POSIX signals is skipped.</summary>
    public static string? UnixSkipReason =>
        OperatingSystem.IsWindows() ? "Needs a Unix-like system (named pipes, Unix sockets, POSIX signals): not on Windows." : null;
}
