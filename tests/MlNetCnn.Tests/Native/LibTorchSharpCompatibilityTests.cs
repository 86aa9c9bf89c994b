using MlNetCnn.Native;
using MlNetCnn.Tests.TestSupport;
using static TorchSharp.torch;

namespace MlNetCnn.Tests.Native;

public class LibTorchSharpCompatibilityTests
{
    private static string OutputCopy => Path.Combine(AppContext.BaseDirectory, LibTorchSharpCompatibility.NativeLibraryName);

    [Fact]
    public void TorchInitialisesAndAConvolutionRunsForwardAndBackward()
    {
        ConvolutionBackends.Apply(); // a raw conv outside the library's entry points: pick the safe kernels first
        using var scope = NewDisposeScope();
        using var conv = nn.Conv2d(3, 4, 3, padding: 1);
        var input = randn(2, 3, 8, 8, requires_grad: true);
        var output = conv.call(input);
        Assert.Equal(new long[] { 2, 4, 8, 8 }, output.shape);
        output.sum().backward();
        Assert.NotNull(conv.weight!.grad);
        Assert.Equal(new long[] { 4, 3, 3, 3 }, conv.weight.grad!.shape);
        Assert.True(input.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void BuildStepMarkedTheRequirementWeakExactlyWhenTheHostNeedsIt()
    {
        Assert.True(File.Exists(OutputCopy), $"{OutputCopy} should be in the test output");
        var requirement = LibTorchSharpCompatibility.ReadVersionRequirements(OutputCopy)
            .Single(r => r.Version == LibTorchSharpCompatibility.RequiredVersion);
        Assert.Equal("libstdc++.so.6", requirement.Library);
        var needed = LibTorchSharpCompatibility.HostNeedsPatch(out var reason);
        Assert.True(needed == requirement.IsWeak, $"host needs patch: {needed} ({reason}); weak flag: {requirement.IsWeak}");
    }

    [Fact]
    public void MarkingWeakChangesOnlyThatFlagAndIsIdempotent()
    {
        using var temp = new TempDirectory();
        var copy = Path.Combine(temp.Path, "lib.so");
        File.Copy(OutputCopy, copy);
        // Start from an unpatched state whatever the build did: clear the flag by hand.
        var before = LibTorchSharpCompatibility.ReadVersionRequirements(copy).Single(r => r.Version == LibTorchSharpCompatibility.RequiredVersion);
        var bytes = File.ReadAllBytes(copy);
        bytes[before.FlagsOffset] &= unchecked((byte)~LibTorchSharpCompatibility.WeakFlag);
        File.WriteAllBytes(copy, bytes);
        var original = File.ReadAllBytes(copy);

        Assert.True(LibTorchSharpCompatibility.MarkVersionWeak(copy, LibTorchSharpCompatibility.RequiredVersion));
        Assert.False(LibTorchSharpCompatibility.MarkVersionWeak(copy, LibTorchSharpCompatibility.RequiredVersion));

        var patched = File.ReadAllBytes(copy);
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToArray();
        Assert.Equal(new[] { (int)before.FlagsOffset }, changed);
        Assert.True(LibTorchSharpCompatibility.ReadVersionRequirements(copy).Single(r => r.Version == LibTorchSharpCompatibility.RequiredVersion).IsWeak);
        // Other requirements are untouched.
        Assert.Contains(LibTorchSharpCompatibility.ReadVersionRequirements(copy), r => r.Version == "GLIBCXX_3.4.19" && !r.IsWeak);
        Assert.Empty(Directory.GetFiles(temp.Path, "*.patching"));
    }

    [Fact]
    public void NonElfAndTruncatedFilesAreRejectedWithTheirPath()
    {
        using var temp = new TempDirectory();
        var text = Path.Combine(temp.Path, "not-elf.so");
        File.WriteAllText(text, new string('x', 200));
        var error = Assert.Throws<InvalidDataException>(() => LibTorchSharpCompatibility.ReadVersionRequirements(text));
        Assert.Contains(text, error.Message);

        var truncated = Path.Combine(temp.Path, "truncated.so");
        File.WriteAllBytes(truncated, File.ReadAllBytes(OutputCopy).Take(4096).ToArray());
        error = Assert.Throws<InvalidDataException>(() => LibTorchSharpCompatibility.ReadVersionRequirements(truncated));
        Assert.Contains("truncated", error.Message);
    }
}
