namespace MlNetCnn.Tests.TestSupport;

/// <summary>
/// On a machine being set up, a tool on PATH may be a dangling link (an uninstall leaves one) or lack its execute bit:
/// tests that need it must skip saying why, as when it is missing, instead of failing with a FileNotFoundException.
/// </summary>
public sealed class ExecutableSearchTests : IDisposable
{
    private readonly TempDirectory _broken = new("mlnetcnn-broken-tools");
    private readonly TempDirectory _good = new("mlnetcnn-good-tools");

    public ExecutableSearchTests()
    {
        foreach (var tool in new[] { "chromium", "chromedriver", "python3" })
        {
            if (OperatingSystem.IsWindows()) continue;
            File.CreateSymbolicLink(_broken.Combine(tool), _broken.Combine($"{tool}-uninstalled"));   // dangling
            File.WriteAllText(_good.Combine(tool), "#!/bin/sh\nexit 0\n");
            File.SetUnixFileMode(_good.Combine(tool), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [UnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void ADanglingLinkOrAFileWithoutExecuteBitIsNotATool()
    {
        Assert.True(File.Exists(_broken.Combine("chromedriver")), "File.Exists sees the dangling link itself: the trap this guards against");
        Assert.False(ExecutableSearch.IsExecutableFile(_broken.Combine("chromedriver")));
        var plain = _broken.Combine("not-executable");
        File.WriteAllText(plain, "#!/bin/sh\n");
        File.SetUnixFileMode(plain, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.False(ExecutableSearch.IsExecutableFile(plain));
        Assert.False(ExecutableSearch.IsExecutableFile(_broken.Path));
        Assert.True(ExecutableSearch.IsExecutableFile(_good.Combine("chromedriver")));
        var link = _broken.Combine("link-to-good");
        File.CreateSymbolicLink(link, _good.Combine("chromedriver"));
        Assert.True(ExecutableSearch.IsExecutableFile(link));
    }

    [UnixFact]
    public void PathLookupPassesOverBrokenEntriesToAWorkingOne()
    {
        var both = string.Join(Path.PathSeparator, _broken.Path, _good.Path);
        Assert.Equal(_good.Combine("chromedriver"), ExecutableSearch.FindOnPath("chromedriver", both));
        Assert.Null(ExecutableSearch.FindOnPath("chromedriver", _broken.Path));
    }

    [UnixFact]
    public void ADanglingChromedriverOnPathMakesBrowserTestsSkipWithAReason()
    {
        Assert.Null(BrowserRequirement.Locate(BrowserRequirement.DriverVariable, null, "chromedriver", _broken.Path, out var why));
        Assert.Equal($"no executable chromedriver on PATH ({_broken.Path})", why);
        Assert.Null(BrowserRequirement.Locate(BrowserRequirement.ChromiumVariable, _broken.Combine("chromium"), "chromium", _good.Path, out why));
        Assert.Equal($"{BrowserRequirement.ChromiumVariable}={_broken.Combine("chromium")} is not an executable file", why);
        Assert.Equal(_good.Combine("chromium"), BrowserRequirement.Locate(BrowserRequirement.ChromiumVariable, null, "chromium", _good.Path, out why));
        Assert.Null(why);
    }

    [UnixFact]
    public void ADanglingOrNonExecutablePython3MakesPyTorchTestsSkipWithAReason()
    {
        var plain = _broken.Combine("python3-no-x");
        File.WriteAllText(plain, "#!/bin/sh\n");
        var (python, why) = PythonWithModule.Find([_broken.Combine("python3"), plain], "import torch", "install python3-torch");
        Assert.Null(python);
        Assert.Equal($"install python3-torch or set {PythonWithModule.EnvironmentVariable}. Tried {_broken.Combine("python3")}: not an executable file; {plain}: not an executable file.", why);
    }

    public void Dispose()
    {
        _broken.Dispose();
        _good.Dispose();
    }
}
