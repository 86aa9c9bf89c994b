using MlNetCnn.Native;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Native;

public class TorchNativeLibraryTests
{
    private static readonly string Version = LibTorchSharpCompatibility.RequiredVersion;

    [Fact]
    public void LoadsInThisProcessAndFindsTheCopyTheRuntimeUses()
    {
        TorchNativeLibrary.EnsureLoaded();
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, LibTorchSharpCompatibility.NativeLibraryName),
            TorchNativeLibrary.FindNativeCopy(AppContext.BaseDirectory));
    }

    [Fact]
    public void AnUnmarkedCopyOnAnOlderLibStdCxxIsNamedWithTheMissingVersionAndTheFix()
    {
        using var temp = new TempDirectory();
        var copy = CopyWithWeakFlag(temp.Path, weak: false);
        var failure = new TypeInitializationException("TorchSharp.torch", new NotSupportedException("doesn't contain a reference to libtorch-cpu-linux-x64"));

        var error = TorchNativeLibrary.Explain(failure, copy, hostLacksVersion: true, "/usr/lib/libstdc++.so.6 lacks " + Version);

        Assert.Contains($"{copy} requires {Version}", error.Message);
        Assert.Contains("Fix: build or publish the application on this machine", error.Message);
        Assert.Contains("buildTransitive/MlNetCnn.targets", error.Message);
        Assert.Same(failure, error.InnerException);
    }

    [Theory]
    [InlineData(true, true)]   // marked weak, yet torch failed: something else is wrong
    [InlineData(false, false)] // the host has the version: GLIBCXX is not the cause
    public void OtherFailuresQuoteTorchSharpAndDoNotBlameGlibcxx(bool weak, bool hostLacksVersion)
    {
        using var temp = new TempDirectory();
        var copy = CopyWithWeakFlag(temp.Path, weak);
        var failure = new TypeInitializationException("TorchSharp.torch", new NotSupportedException("libtorch_cpu.so: cannot open shared object file"));

        var error = TorchNativeLibrary.Explain(failure, copy, hostLacksVersion, "host libstdc++ described here");

        Assert.DoesNotContain("Fix:", error.Message);
        Assert.Contains($"{Version} requirement {(weak ? "marked weak" : "strong")}", error.Message);
        Assert.Contains("host libstdc++ described here", error.Message);
        Assert.Contains("TorchSharp said: libtorch_cpu.so: cannot open shared object file", error.Message);
    }

    [Fact]
    public void AMissingNativeLibraryIsReportedWithWhereItWasLookedFor()
    {
        var failure = new TypeInitializationException("TorchSharp.torch", new DllNotFoundException("LibTorchSharp"));
        var error = TorchNativeLibrary.Explain(failure, nativeCopy: null, hostLacksVersion: true, "irrelevant");
        Assert.Contains($"no {LibTorchSharpCompatibility.NativeLibraryName} was found in {AppContext.BaseDirectory}", error.Message);
        Assert.Contains("runtime identifier", error.Message);
    }

    /// <summary>A copy of the test output's libLibTorchSharp.so with the GLIBCXX_3.4.32 weak flag set or cleared.</summary>
    private static string CopyWithWeakFlag(string directory, bool weak)
    {
        var copy = Path.Combine(directory, LibTorchSharpCompatibility.NativeLibraryName);
        File.Copy(Path.Combine(AppContext.BaseDirectory, LibTorchSharpCompatibility.NativeLibraryName), copy);
        var requirement = LibTorchSharpCompatibility.ReadVersionRequirements(copy).Single(r => r.Version == Version);
        var bytes = File.ReadAllBytes(copy);
        bytes[requirement.FlagsOffset] = weak
            ? (byte)(bytes[requirement.FlagsOffset] | LibTorchSharpCompatibility.WeakFlag)
            : (byte)(bytes[requirement.FlagsOffset] & ~LibTorchSharpCompatibility.WeakFlag);
        File.WriteAllBytes(copy, bytes);
        return copy;
    }
}
