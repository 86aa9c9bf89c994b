using System.Diagnostics;
using MlNetCnn.IO;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.IO;

/// <summary>
/// Issue 20: the final rename never replaces a file that appeared after the check (unless overwriting), never replaces
/// anything but a regular file, and the cheap path checks (trailing separator, NAME_MAX) come before any work.
/// </summary>
public class NoReplaceWriteTests
{
    [Fact]
    public void ManyWritersRacingToOnePathExactlyOneWinsAndItsBytesStay()
    {
        using var temp = new TempDirectory();
        var target = temp.Combine("same.zip");
        const int writers = 8;
        using var ready = new Barrier(writers);
        var outcomes = new string[writers];
        var threads = Enumerable.Range(0, writers).Select(i => new Thread(() =>
        {
            try
            {
                AtomicFile.Write(OutputFile.Check(target, overwrite: false), stream =>
                {
                    // Every writer has passed the existence check before any of them renames.
                    ready.SignalAndWait(TimeSpan.FromSeconds(30));
                    stream.Write(System.Text.Encoding.UTF8.GetBytes($"writer {i}"));
                });
                outcomes[i] = "won";
            }
            catch (OutputFileExistsException e)
            {
                outcomes[i] = e.FilePath == Path.GetFullPath(target) ? "exists" : "wrong path " + e.FilePath;
            }
            catch (Exception e)
            {
                outcomes[i] = e.GetType().Name + ": " + e.Message;
            }
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();

        Assert.Equal(1, outcomes.Count(o => o == "won"));
        Assert.Equal(writers - 1, outcomes.Count(o => o == "exists"));
        var winner = Array.IndexOf(outcomes, "won");
        Assert.Equal($"writer {winner}", File.ReadAllText(target));
        // No temporary file is left behind by the losers.
        Assert.Equal([target], Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void AFileThatAppearsDuringTheWriteIsNotReplacedWithoutOverwrite()
    {
        using var temp = new TempDirectory();
        var target = temp.Combine("m.zip");
        Assert.Throws<OutputFileExistsException>(() => AtomicFile.Write(OutputFile.Check(target, overwrite: false), stream =>
        {
            File.WriteAllText(target, "theirs"); // another process, after our check
            stream.WriteByte(1);
        }));
        Assert.Equal("theirs", File.ReadAllText(target));

        // With overwrite, a regular file that appeared is replaced.
        AtomicFile.Write(OutputFile.Check(target, overwrite: true), stream =>
        {
            File.WriteAllText(target, "theirs again");
            stream.WriteByte(42);
        });
        Assert.Equal([42], File.ReadAllBytes(target));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AFolderThatAppearsDuringTheWriteIsNamedAsAFolderWithOrWithoutOverwrite(bool overwrite)
    {
        // After the check, during minutes of training: "already exists, pass --force" would send the user to an
        // option that cannot help, so the folder is named (exit 6 in the CLI), not reported as an existing file.
        using var temp = new TempDirectory();
        var target = temp.Combine("r.html");
        var e = Assert.Throws<OutputFileException>(() => AtomicFile.Write(OutputFile.Check(target, overwrite), stream =>
        {
            Directory.CreateDirectory(target);
            stream.WriteByte(1);
        }));
        Assert.Contains("it is a folder", e.Message, StringComparison.Ordinal);
        Assert.Equal([target], Directory.GetFileSystemEntries(temp.Path));
        Assert.True(Directory.Exists(target));
    }

    [LinuxFact]
    public void ADeviceIsNeverReplacedEvenWithOverwrite()
    {
        var e = Assert.Throws<OutputFileException>(() => AtomicFile.Write(OutputFile.Check("/dev/full", overwrite: true), s => s.WriteByte(1)));
        Assert.Contains("character device", e.Message);
        Assert.Equal(FileNode.Kind.CharacterDevice, FileNode.Of("/dev/full"));
        Assert.Equal(FileNode.Kind.CharacterDevice, FileNode.Of("/dev/null"));
    }

    [UnixFact]
    public void AFifoASocketAndASymbolicLinkAreRefusedBeforeTheWorkAndLeftInPlace()
    {
        using var temp = new TempDirectory();
        var fifo = temp.Combine("pipe");
        using (var mkfifo = Process.Start("mkfifo", [fifo])) mkfifo.WaitForExit();
        Assert.Equal(FileNode.Kind.Fifo, FileNode.Of(fifo));
        var socketPath = temp.Combine("sock");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(socketPath));
        Assert.Equal(FileNode.Kind.Socket, FileNode.Of(socketPath));
        File.WriteAllText(temp.Combine("real"), "real");
        var link = temp.Combine("link");
        File.CreateSymbolicLink(link, temp.Combine("real"));
        Assert.Equal(FileNode.Kind.SymbolicLink, FileNode.Of(link));

        foreach (var (path, words) in new[] { (fifo, "named pipe"), (socketPath, "socket"), (link, "symbolic link") })
        {
            var e = Assert.Throws<OutputFileException>(() => OutputFile.Check(path, overwrite: true));
            Assert.Contains(words, e.Message);
            Assert.Throws<OutputFileException>(() => AtomicFile.Write(OutputFile.Check(path, overwrite: true), _ => throw new InvalidOperationException("work must not start")));
        }
        Assert.Equal(FileNode.Kind.Fifo, FileNode.Of(fifo));
        Assert.Equal(FileNode.Kind.Socket, FileNode.Of(socketPath));
        Assert.Equal(FileNode.Kind.SymbolicLink, FileNode.Of(link));
        Assert.Equal("real", File.ReadAllText(temp.Combine("real")));
    }

    [UnixFact]
    public void AFifoThatAppearsWhileWritingIsNotReplacedEvenWithOverwrite()
    {
        using var temp = new TempDirectory();
        var target = temp.Combine("out.zip");
        var e = Assert.Throws<OutputFileException>(() => AtomicFile.Write(OutputFile.Check(target, overwrite: true), stream =>
        {
            using (var mkfifo = Process.Start("mkfifo", [target])) mkfifo.WaitForExit();
            stream.WriteByte(1);
        }));
        Assert.Contains("named pipe", e.Message);
        Assert.Equal(FileNode.Kind.Fifo, FileNode.Of(target));
        Assert.Equal([target], Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void ATrailingSeparatorIsRefusedAndNothingIsCreated()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("newdir") + Path.DirectorySeparatorChar;
        var e = Assert.Throws<OutputFileException>(() => OutputFile.Check(path, overwrite: true));
        Assert.Contains("path separator", e.Message);
        Assert.Throws<OutputFileException>(() => AtomicFile.Write(OutputFile.Check(path, overwrite: true), _ => throw new InvalidOperationException("work must not start")));
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void NamesUpToNameMaxAreWrittenLongerOnesAreRefusedUpFront()
    {
        using var temp = new TempDirectory();
        // 255 bytes is the longest name: it must be writable although the temporary name beside it is longer.
        var longest = temp.Combine(new string('a', OutputFile.MaxNameBytes - 4) + ".zip");
        AtomicFile.Write(OutputFile.Check(longest, overwrite: false), s => s.WriteByte(9));
        Assert.Equal([9], File.ReadAllBytes(longest));
        // Multi-byte characters count in bytes: 100 'é' are 200 bytes, fine; 128 are 256 bytes, too long.
        AtomicFile.Write(OutputFile.Check(temp.Combine(new string('é', 100)), overwrite: true), s => s.WriteByte(1));

        var tooLong = temp.Combine(new string('b', 300));
        var e = Assert.Throws<OutputFileException>(() => OutputFile.Check(tooLong, overwrite: true));
        Assert.Contains("300 bytes", e.Message);
        Assert.Contains("255", e.Message);
        e = Assert.Throws<OutputFileException>(() => OutputFile.Check(temp.Combine(new string('é', 128)), overwrite: true));
        Assert.Contains("256 bytes", e.Message);

        var deep = temp.Combine(string.Join(Path.DirectorySeparatorChar, Enumerable.Repeat(new string('d', 200), 25)), "m.zip");
        e = Assert.Throws<OutputFileException>(() => OutputFile.Check(deep, overwrite: true));
        Assert.Contains("path is", e.Message);
    }
}
