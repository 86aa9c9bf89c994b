namespace MlNetCnn.Tests.TestSupport;

/// <summary>
/// On a machine being set up, a tool on PATH may be a dangling link (an uninstall leaves one) or lack its execute bit:
/// tests that need it must skip saying why, as when it is missing, instead of failing with a FileNotFoundException.
/// </summary>
public sealed class ExecutableSearchTests : IDisposable
{
    private readonly TempDirectory broken = new("mlnetcnn-broken-tools");
    private readonly TempDirectory good = new("mlnetcnn-good-tools");

    public ExecutableSearchTests()
    {
        foreach (var tool in new[] { "chromium", "chromedriver", "python3" })
        {
            if (OperatingSystem.IsWindows()) continue;
            File.CreateSymbolicLink(broken.Combine(tool), broken.Combine($"{tool}-uninstalled"));   // dangling
            File.WriteAllText(good.Combine(tool), "#!/bin/sh\nexit 0\n");
            File.SetUnixFileMode(good.Combine(tool), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [UnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void ADanglingLinkOrAFileWithoutExecuteBitIsNotATool()
    {
        Assert.True(File.Exists(broken.Combine("chromedriver")), "File.Exists sees the dangling link itself: the trap this guards against");
        Assert.False(ExecutableSearch.IsExecutableFile(broken.Combine("chromedriver")));
        var plain = broken.Combine("not-executable");
        File.WriteAllText(plain, "#!/bin/sh\n");
        File.SetUnixFileMode(plain, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.False(ExecutableSearch.IsExecutableFile(plain));
        Assert.False(ExecutableSearch.IsExecutableFile(broken.Path));
        Assert.True(ExecutableSearch.IsExecutableFile(good.Combine("chromedriver")));
        var link = broken.Combine("link-to-good");
        File.CreateSymbolicLink(link, good.Combine("chromedriver"));
        Assert.True(ExecutableSearch.IsExecutableFile(link));
    }

    [UnixFact]
    public void PathLookupPassesOverBrokenEntriesToAWorkingOne()
    {
        var both = string.Join(Path.PathSeparator, broken.Path, good.Path);
        Assert.Equal(good.Combine("chromedriver"), ExecutableSearch.FindOnPath("chromedriver", both));
        Assert.Null(ExecutableSearch.FindOnPath("chromedriver", broken.Path));
    }

    [UnixFact]
    public void ADanglingChromedriverOnPathMakesBrowserTestsSkipWithAReason()
    {
        Assert.Null(BrowserRequirement.Locate(BrowserRequirement.DriverVariable, null, "chromedriver", broken.Path, out var why));
        Assert.Equal($"no executable chromedriver on PATH ({broken.Path})", why);
        Assert.Null(BrowserRequirement.Locate(BrowserRequirement.ChromiumVariable, broken.Combine("chromium"), "chromium", good.Path, out why));
        Assert.Equal($"{BrowserRequirement.ChromiumVariable}={broken.Combine("chromium")} is not an executable file", why);
        Assert.Equal(good.Combine("chromium"), BrowserRequirement.Locate(BrowserRequirement.ChromiumVariable, null, "chromium", good.Path, out why));
        Assert.Null(why);
    }

    [UnixFact]
    public void ADanglingOrNonExecutablePython3MakesPyTorchTestsSkipWithAReason()
    {
        var plain = broken.Combine("python3-no-x");
        File.WriteAllText(plain, "#!/bin/sh\n");
        var (python, why) = PythonWithModule.Find([broken.Combine("python3"), plain], "import torch", "install python3-torch");
        Assert.Null(python);
        Assert.Equal($"install python3-torch or set {PythonWithModule.EnvironmentVariable}. Tried {broken.Combine("python3")}: not an executable file; {plain}: not an executable file.", why);
    }

    public void Dispose()
    {
        broken.Dispose();
        good.Dispose();
    }
}
