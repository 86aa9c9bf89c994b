using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MlNetCnn.IO;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new content: the bytes go to a
/// temporary file in the target's directory (same file system), are flushed to disk, and the temporary file is then
/// renamed over the target — without overwrite by a no-replace rename, so a file that appeared meanwhile is never
/// replaced; with it, only a regular file is ever replaced. On failure the temporary file is deleted and the target is untouched. Temporary files are
/// named <c>.&lt;name&gt;.&lt;pid&gt;.&lt;guid&gt;.mlnetcnn-tmp</c>; ones left by a process that no longer runs (killed
/// mid-write) are removed on the next write into the same folder.
/// </summary>
internal static partial class AtomicFile
{
    public const string TemporarySuffix = ".mlnetcnn-tmp";

    /// <summary>Writes <paramref name="write"/>'s bytes to <paramref name="path"/> atomically.</summary>
    /// <param name="existsError">Made when the target exists and <paramref name="overwrite"/> is false.</param>
    /// <exception cref="OutputFileException">The folder cannot be created or written, or the disk is full.</exception>
    public static void Write(string path, Action<Stream> write, bool overwrite = true, Func<string, Exception>? existsError = null)
    {
        var target = OutputFile.Check(path, overwrite, existsError);
        var directory = Path.GetDirectoryName(target)!;
        Guard(target, "its folder cannot be created", () => Directory.CreateDirectory(directory));
        RemoveStaleTemporaries(directory);
        var temporary = TemporaryPath(target);
        try
        {
            Guard(target, "writing failed", () =>
            {
                using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                write(stream);
                stream.Flush(flushToDisk: true);
            });
            Publish(temporary, target, overwrite, existsError);
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    /// <summary>
    /// The last step. Without <paramref name="overwrite"/> the rename never replaces anything: a file that appeared after
    /// the check (another writer, another run) wins and this write fails with <paramref name="existsError"/>. With it, a
    /// regular file is replaced, but never a folder, device, FIFO, socket or symbolic link.
    /// </summary>
    private static void Publish(string temporary, string target, bool overwrite, Func<string, Exception>? existsError)
    {
        if (!overwrite)
        {
            var moved = false;
            Guard(target, "writing failed", () => moved = FileNode.TryMoveNoReplace(temporary, target));
            if (!moved) throw existsError?.Invoke(target) ?? new OutputFileExistsException(target);
            return;
        }
        var kind = FileNode.Of(target);
        if (kind is not (FileNode.Kind.Absent or FileNode.Kind.RegularFile))
            throw kind == FileNode.Kind.Directory
                ? new OutputFileException(target, "it is a folder; give a file name inside it instead.")
                : OutputFile.NotRegular(target, kind);
        Guard(target, "writing failed", () => File.Move(temporary, target, overwrite: true));
    }

    /// <summary>A fresh temporary name beside <paramref name="target"/>; the process id lets a later write tell a crash leftover from a write in progress.</summary>
    /// <remarks>A long name is shortened in the temporary name so that any name within NAME_MAX can be written.</remarks>
    internal static string TemporaryPath(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!,
            $".{Shorten(Path.GetFileName(target))}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.{Guid.NewGuid():N}{TemporarySuffix}");

    // 60 UTF-16 units are at most 180 UTF-8 bytes; with the dots, pid, guid and suffix the name stays under 255 bytes.
    private static string Shorten(string name)
    {
        const int keep = 60;
        if (name.Length <= keep) return name;
        var cut = char.IsHighSurrogate(name[keep - 1]) ? keep - 1 : keep;
        return name[..cut];
    }

    /// <summary>Deletes temporary files in <paramref name="directory"/> whose writing process has ended; best effort.</summary>
    internal static void RemoveStaleTemporaries(string directory)
    {
        foreach (var file in FilesOrNone(directory, ".*" + TemporarySuffix))
        {
            var match = TemporaryName().Match(Path.GetFileName(file));
            if (match.Success && int.TryParse(match.Groups["pid"].Value, CultureInfo.InvariantCulture, out var pid) && !IsRunning(pid))
                TryDelete(file);
        }
        // Versions before this naming wrote ".<name>.<guid>.tmp" without the process id: remove those once clearly abandoned.
        foreach (var file in FilesOrNone(directory, ".*.tmp"))
        {
            if (LegacyTemporaryName().IsMatch(Path.GetFileName(file)) && DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > LegacyAbandonedAfter)
                TryDelete(file);
        }
    }

    /// <summary>The files in <paramref name="directory"/> matching <paramref name="pattern"/>; none when it cannot be listed (best effort).</summary>
    private static string[] FilesOrNone(string directory, string pattern)
    {
        try
        {
            return Directory.GetFiles(directory, pattern);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Array.Empty<string>();
        }
    }

    private static readonly TimeSpan LegacyAbandonedAfter = TimeSpan.FromHours(1);

    [GeneratedRegex(@"^\..+\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex LegacyTemporaryName();

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false; // no such process, or it ended while we looked
        }
    }

    [GeneratedRegex(@"^\..+\.(?<pid>\d+)\.[0-9a-f]{32}\.mlnetcnn-tmp$")]
    private static partial Regex TemporaryName();

    /// <summary>Turns file-system failures into <see cref="OutputFileException"/> naming the target (not the temporary file).</summary>
    internal static void Guard(string target, string what, Action action)
    {
        try
        {
            action();
        }
        catch (UnauthorizedAccessException e)
        {
            throw new OutputFileException(target, $"{what}: permission denied. Choose a folder you can write to.", e);
        }
        catch (IOException e) when (e is not OutputFileException)
        {
            throw new OutputFileException(target, $"{what}: {Describe(e)}", e);
        }
    }

    // ENOSPC (28) and EDQUOT (122) on Linux, ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows. .NET's failed
    // preallocation (a FileStream opened with its final size, as TarEntry's extraction does) carries no error number:
    // only its message says "the disk was full".
    internal static string Describe(IOException e) =>
        (e.HResult & 0xFFFF) is 28 or 122 or 0x70 or 0x27 || e.Message.Contains("disk was full", StringComparison.OrdinalIgnoreCase)
            ? "no space left on the device. Free some space or choose another folder."
            : "the file system refused it (" + e.GetType().Name + "). Check the folder and the free space.";

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Leave it; the original error matters more, and the next write removes it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
