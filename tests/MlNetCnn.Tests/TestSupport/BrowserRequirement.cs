namespace MlNetCnn.Tests.TestSupport;

/// <summary>
/// Whether headless Chromium and its driver (Debian's chromium + chromium-driver, which .ci/run installs) are on this
/// machine, found once: <c>MLNETCNN_CHROMIUM</c> / <c>MLNETCNN_CHROMEDRIVER</c> when set (alone: an explicit choice has no
/// fallback), else <c>chromium</c> / <c>chromedriver</c> on PATH. Every test that drives a browser is a
/// <see cref="BrowserFactAttribute"/> (or <see cref="BrowserTheoryAttribute"/>): it skips with <see cref="WhyMissing"/>
/// where they are absent, unless <c>MLNETCNN_REQUIRE_BROWSER=1</c> (set by .ci/run), where it runs and fails loudly.
/// </summary>
public static class BrowserRequirement
{
    /// <summary>Set to 1 (as CI does after installing Chromium) to make browser tests fail instead of skipping.</summary>
    public const string RequireVariable = "MLNETCNN_REQUIRE_BROWSER";

    /// <summary>An explicit Chromium binary (no PATH lookup when set).</summary>
    public const string ChromiumVariable = "MLNETCNN_CHROMIUM";

    /// <summary>An explicit chromedriver binary (no PATH lookup when set).</summary>
    public const string DriverVariable = "MLNETCNN_CHROMEDRIVER";

    private const string InstallHint = "install Debian's chromium and chromium-driver (`apt-get install -y --no-install-recommends chromium chromium-driver`; .ci/run does)";

    private static readonly Lazy<(string? Chromium, string? Driver, string Why)> Found = new(Find);

    /// <summary>The Chromium binary, or null when absent.</summary>
    public static string? ChromiumPath => Found.Value.Chromium;

    /// <summary>The chromedriver binary, or null when absent.</summary>
    public static string? DriverPath => Found.Value.Driver;

    /// <summary>True when both Chromium and chromedriver were found.</summary>
    public static bool IsAvailable => ChromiumPath != null && DriverPath != null;

    /// <summary>True when <see cref="RequireVariable"/> is 1: a missing browser fails the test instead of skipping it.</summary>
    public static bool IsRequired => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Why the browser cannot be used (empty when it can): for skip and failure messages.</summary>
    public static string WhyMissing => Found.Value.Why;

    /// <summary>The skip reason for a browser test here, or null when it must run (browser present, or required).</summary>
    public static string? SkipReason => IsAvailable || IsRequired ? null : $"{WhyMissing} Set {RequireVariable}=1 to fail instead of skipping.";

    /// <summary>Fails the calling test with <see cref="WhyMissing"/> when the browser is absent.</summary>
    public static (string Chromium, string Driver) Require()
    {
        if (!IsAvailable) Assert.Fail($"{WhyMissing} ({RequireVariable}={Environment.GetEnvironmentVariable(RequireVariable) ?? "unset"}.)");
        return (ChromiumPath!, DriverPath!);
    }

    private static (string?, string?, string) Find()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var chromium = Locate(ChromiumVariable, Environment.GetEnvironmentVariable(ChromiumVariable), "chromium", path, out var chromiumWhy);
        var driver = Locate(DriverVariable, Environment.GetEnvironmentVariable(DriverVariable), "chromedriver", path, out var driverWhy);
        var missing = new[] { chromiumWhy, driverWhy }.Where(w => w != null).ToArray();
        return (chromium, driver, missing.Length == 0 ? "" : $"Headless Chromium is not available ({string.Join("; ", missing)}): {InstallHint}.");
    }

    /// <summary>
    /// The tool named by <paramref name="explicitPath"/> (the value of <paramref name="variable"/>) when set, else
    /// <paramref name="command"/> on <paramref name="path"/>; a dangling link or a non-executable file counts as absent.
    /// </summary>
    internal static string? Locate(string variable, string? explicitPath, string command, string path, out string? why)
    {
        why = null;
        if (explicitPath is { Length: > 0 })
        {
            if (ExecutableSearch.IsExecutableFile(explicitPath)) return explicitPath;
            why = $"{variable}={explicitPath} is not an executable file";
            return null;
        }
        if (ExecutableSearch.FindOnPath(command, path) is { } found) return found;
        why = $"no executable {command} on PATH ({path})";
        return null;
    }
}
