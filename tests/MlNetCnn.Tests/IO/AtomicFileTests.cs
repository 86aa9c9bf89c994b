using System.Diagnostics;
using MlNetCnn.IO;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void LeftoverOfAKilledWriterIsRemovedOnTheNextWriteIntoTheFolder()
    {
        using var temp = new TempDirectory();
        var target = temp.Combine("model.zip");
        // What `kill -9` during a save leaves: a temporary named by a process that no longer runs.
        var stale = temp.Combine($".model.zip.{ExitedProcessId()}.{Guid.NewGuid():N}{AtomicFile.TemporarySuffix}");
        File.WriteAllBytes(stale, new byte[1000]);
        // A write in progress in this process must survive another write into the same folder.
        var live = AtomicFile.TemporaryPath(temp.Combine("other.zip"));
        File.WriteAllBytes(live, new byte[10]);

        // Older versions named temporaries ".<name>.<guid>.tmp": removed once an hour old, kept while they may be in use.
        var legacy = temp.Combine($".model.zip.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(legacy, new byte[10]);
        File.SetLastWriteTimeUtc(legacy, DateTime.UtcNow.AddHours(-2));
        var recentLegacy = temp.Combine($".model.zip.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(recentLegacy, new byte[10]);

        AtomicFile.Write(target, s => s.Write([1, 2, 3]));

        Assert.Equal([1, 2, 3], File.ReadAllBytes(target));
        Assert.False(File.Exists(stale), "a crash leftover is removed");
        Assert.True(File.Exists(live), "a temporary of a running writer is kept");
        Assert.False(File.Exists(legacy), "an old-style leftover is removed");
        Assert.True(File.Exists(recentLegacy), "a recent old-style temporary may still be written");
        Assert.EndsWith(AtomicFile.TemporarySuffix, live);
        Assert.Contains($".{Environment.ProcessId}.", Path.GetFileName(live));
    }

    [Fact]
    public void DiskFullNamesTheTargetNotTheTemporaryAndLeavesNothing()
    {
        using var temp = new TempDirectory();
        var target = temp.Combine("report.html");
        File.WriteAllText(target, "old");

        // ENOSPC as the OS reports it while the bytes are written.
        var e = Assert.Throws<OutputFileException>(() =>
            AtomicFile.Write(target, s => { s.WriteByte(1); throw new IOException("No space left on device", 28); }));

        Assert.Equal(Path.GetFullPath(target), e.FilePath);
        Assert.Contains(target, e.Message);
        Assert.Contains("no space left", e.Message);
        Assert.DoesNotContain(AtomicFile.TemporarySuffix, e.Message);
        Assert.Equal("old", File.ReadAllText(target));
        Assert.Equal([target], Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void MissingFoldersAreCreated()
    {
        using var temp = new TempDirectory();
        var target = temp.Combine("a", "b", "m.zip");
        Assert.Equal(Path.GetFullPath(target), OutputFile.CheckWritable(target));
        Assert.False(Directory.Exists(temp.Combine("a")), "the check creates nothing");
        AtomicFile.Write(target, s => s.WriteByte(7));
        Assert.Equal([7], File.ReadAllBytes(target));
    }

    [Fact]
    public void AFolderOrAPathThroughAFileIsRefusedBeforeAnyWrite()
    {
        using var temp = new TempDirectory();
        var folder = temp.Combine("out");
        Directory.CreateDirectory(folder);
        var e = Assert.Throws<OutputFileException>(() => OutputFile.CheckWritable(folder));
        Assert.Contains("is a folder", e.Message);
        Assert.DoesNotContain("already exists", e.Message);

        File.WriteAllText(temp.Combine("file"), "x");
        e = Assert.Throws<OutputFileException>(() => AtomicFile.Write(temp.Combine("file", "sub", "m.zip"), _ => throw new InvalidOperationException("must not be called")));
        Assert.Contains("is a file", e.Message);
        Assert.Equal(Path.GetFullPath(temp.Combine("file", "sub", "m.zip")), e.FilePath);
    }

    private static int ExitedProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }
}
