using System.Diagnostics;

namespace MlNetCnn.Tests.TestSupport;

/// <summary>
/// A tmpfs of a few kilobytes mounted for one test, so "disk full" is the kernel's own ENOSPC at a known size. Mounting
/// needs Linux and the right to mount (root in the CI container); elsewhere <see cref="SkipReason"/> says why not.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private SmallDisk(string path) => Path = path;

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>Null where a tmpfs can be mounted; else why tests that need one are skipped.</summary>
    public static string? SkipReason => Probe.Value;

    private static readonly Lazy<string?> Probe = new(() =>
    {
        if (OperatingSystemRequirement.LinuxSkipReason is { } notLinux) return notLinux;
        var folder = Directory.CreateTempSubdirectory("mlnetcnn-disk-probe").FullName;
        try
        {
            using var disk = Mount(folder, 16);
            return null;
        }
        catch (InvalidOperationException e)
        {
            return $"Needs the right to mount a small tmpfs (to fill a disk for real): {e.Message}";
        }
        finally
        {
            Directory.Delete(folder);
        }
    });

    /// <summary>Mounts a tmpfs of <paramref name="kilobytes"/> KB at <paramref name="folder"/> (created if missing).</summary>
    public static SmallDisk Mount(string folder, int kilobytes)
    {
        Directory.CreateDirectory(folder);
        Run("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k", "tmpfs", folder);
        return new SmallDisk(folder);
    }

    public void Dispose() => Run("umount", Path);

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', arguments)}: exit {process.ExitCode}: {error.Trim()}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{program} cannot be started: {e.Message}", e);
        }
    }
}

/// <summary>A theory that needs a <see cref="SmallDisk"/>; skipped, saying why, where none can be mounted.</summary>
public sealed class SmallDiskTheoryAttribute : TheoryAttribute
{
    public SmallDiskTheoryAttribute()
    {
        if (SmallDisk.SkipReason is { } reason) Skip = reason;
    }
}
