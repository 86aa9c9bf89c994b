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
        var stale = AtomicFile.TemporaryPath(temp.Combine("model.zip"), ExitedProcessId());
        File.WriteAllBytes(stale, new byte[1000]);
        // A write in progress in this process must survive another write into the same folder.
        var live = AtomicFile.TemporaryPath(temp.Combine("other.zip"));
        File.WriteAllBytes(live, new byte[10]);

        AtomicFile.Write(OutputFile.Check(target, overwrite: true), s => s.Write([1, 2, 3]));

        Assert.Equal([1, 2, 3], File.ReadAllBytes(target));
        Assert.False(File.Exists(stale), "a crash leftover is removed");
        Assert.True(File.Exists(live), "a temporary of a running writer is kept");
        Assert.EndsWith(AtomicFile.TemporarySuffix, live);
        Assert.Contains($".{Environment.ProcessId}.", Path.GetFileName(live));
    }

    /// <summary>
    /// Issue 30: the cleanup removed any <c>.name.&lt;32 hex&gt;.tmp</c> older than an hour, a user's file included. Only
    /// names this library made (their mark checks) are removed now; every look-alike survives, however old.
    /// </summary>
    [Fact]
    public void AUsersFilesThatLookLikeTemporariesSurviveTheCleanup()
    {
        using var temp = new TempDirectory();
        var dead = ExitedProcessId();
        var ours = AtomicFile.TemporaryPath(temp.Combine("notes"), dead);
        var random = new Random(30);
        string Hex(int digits) => string.Concat(Enumerable.Range(0, digits).Select(_ => "0123456789abcdef"[random.Next(16)]));
        var lookAlikes = new[]
        {
            $".notes.{Hex(32)}.tmp", // the old naming, which a user's file can have
            $".model.zip.{Hex(32)}.tmp",
            $".notes.{dead}.{Hex(32)}{AtomicFile.TemporarySuffix}", // the current shape with a mark that does not check
            // Ours with one digit of the mark changed.
            Path.GetFileName(ours)[..^(AtomicFile.TemporarySuffix.Length + 1)] + (Path.GetFileName(ours)[^(AtomicFile.TemporarySuffix.Length + 1)] == '0' ? "1" : "0") + AtomicFile.TemporarySuffix,
        };
        foreach (var name in lookAlikes)
        {
            File.WriteAllText(temp.Combine(name), "the user's");
            File.SetLastWriteTimeUtc(temp.Combine(name), DateTime.UtcNow.AddDays(-30));
        }
        File.WriteAllText(ours, "ours");

        AtomicFile.Write(OutputFile.Check(temp.Combine("out.zip"), overwrite: true), s => s.WriteByte(1));

        Assert.False(File.Exists(ours), "our own leftover is still removed");
        foreach (var name in lookAlikes)
            Assert.True(File.Exists(temp.Combine(name)) && File.ReadAllText(temp.Combine(name)) == "the user's", $"'{name}' was removed");
    }

    [Fact]
    public void DiskFullNamesTheTargetNotTheTemporaryAndLeavesNothing()
    {
        using var temp = new TempDirectory();
        var target = temp.Combine("report.html");
        File.WriteAllText(target, "old");

        // ENOSPC as the OS reports it while the bytes are written.
        var e = Assert.Throws<OutputFileException>(() =>
            AtomicFile.Write(OutputFile.Check(target, overwrite: true), s => { s.WriteByte(1); throw new IOException("No space left on device", 28); }));

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
        Assert.Equal(Path.GetFullPath(target), OutputFile.Check(target, overwrite: true).FullPath);
        Assert.False(Directory.Exists(temp.Combine("a")), "the check creates nothing");
        AtomicFile.Write(OutputFile.Check(target, overwrite: true), s => s.WriteByte(7));
        Assert.Equal([7], File.ReadAllBytes(target));
    }

    [Fact]
    public void AFolderOrAPathThroughAFileIsRefusedBeforeAnyWrite()
    {
        using var temp = new TempDirectory();
        var folder = temp.Combine("out");
        Directory.CreateDirectory(folder);
        var e = Assert.Throws<OutputFileException>(() => OutputFile.Check(folder, overwrite: true));
        Assert.Contains("is a folder", e.Message);
        Assert.DoesNotContain("already exists", e.Message);

        File.WriteAllText(temp.Combine("file"), "x");
        e = Assert.Throws<OutputFileException>(() => AtomicFile.Write(OutputFile.Check(temp.Combine("file", "sub", "m.zip"), overwrite: true), _ => throw new InvalidOperationException("must not be called")));
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
