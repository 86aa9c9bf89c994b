using System.Runtime.InteropServices;
using TorchSharp;

namespace MlNetCnn.Native;

/// <summary>
/// Loads libtorch before MlNetCnn's first use of it, so that a failure says why. TorchSharp reports a native library
/// that will not load as "doesn't contain a reference to libtorch-cpu-linux-x64", even when the package is there and
/// the loader's real complaint is the missing GLIBCXX_3.4.32 of Debian 12 / Ubuntu 22.04 (see README.md here).
/// </summary>
internal static class TorchNativeLibrary
{
    private static volatile bool loaded;

    /// <summary>Loads libtorch, or throws <see cref="PlatformNotSupportedException"/> naming the cause and the fix.</summary>
    public static void EnsureLoaded()
    {
        if (loaded) return;
        try
        {
            _ = torch.get_num_threads(); // runs torch's static constructor, which loads the native libraries
            loaded = true;
        }
        catch (TypeInitializationException e) when (e.TypeName == typeof(torch).FullName)
        {
            var needsPatch = LibTorchSharpCompatibility.HostNeedsPatch(out var host);
            throw Explain(e, FindNativeCopy(AppContext.BaseDirectory), needsPatch, host);
        }
    }

    /// <summary>The libLibTorchSharp.so the runtime loads for an app in <paramref name="appDirectory"/>, or null.</summary>
    internal static string? FindNativeCopy(string appDirectory)
    {
        string[] candidates =
        {
            Path.Combine(appDirectory, LibTorchSharpCompatibility.NativeLibraryName), // app built for a runtime identifier
            Path.Combine(appDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", LibTorchSharpCompatibility.NativeLibraryName),
        };
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>The exception to throw when torch failed to initialise: names the missing GLIBCXX version and the fix when that is the cause.</summary>
    internal static PlatformNotSupportedException Explain(Exception failure, string? nativeCopy, bool hostLacksVersion, string hostDescription)
    {
        var version = LibTorchSharpCompatibility.RequiredVersion;
        var requirement = nativeCopy == null ? null : ReadRequirement(nativeCopy);
        if (hostLacksVersion && requirement is { IsWeak: false })
        {
            return new PlatformNotSupportedException(
                $"libtorch could not be loaded: {nativeCopy} requires {version} (libstdc++ of GCC 13), and this machine's libstdc++ " +
                $"lacks it ({hostDescription}; Debian 12 and Ubuntu 22.04 stop at GLIBCXX_3.4.30). MlNetCnn's build step marks that " +
                "requirement weak in the output of a build or publish, but this copy was not marked. Fix: build or publish the " +
                "application on this machine with a project that references the MlNetCnn package (its buildTransitive/MlNetCnn.targets " +
                $"runs after the build of an executable or test project), or install a libstdc++ that provides {version} (GCC 13 or newer).",
                failure);
        }
        var where = nativeCopy == null
            ? $"no {LibTorchSharpCompatibility.NativeLibraryName} was found in {AppContext.BaseDirectory} (build for a runtime identifier such as linux-x64, or keep the runtimes folder)"
            : $"{nativeCopy}: {version} requirement {(requirement == null ? "not present" : requirement.IsWeak ? "marked weak" : "strong")}; {hostDescription}";
        return new PlatformNotSupportedException(
            $"libtorch could not be loaded ({where}). TorchSharp said: {Innermost(failure).Message}", failure);
    }

    private static ElfVersionRequirement? ReadRequirement(string nativeCopy)
    {
        try
        {
            return LibTorchSharpCompatibility.ReadVersionRequirements(nativeCopy)
                .FirstOrDefault(r => r.Version == LibTorchSharpCompatibility.RequiredVersion);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return null; // the diagnosis is best effort; the original failure is still attached
        }
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException != null) e = e.InnerException;
        return e;
    }
}
