using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace MlNetCnn.IO;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new content: the bytes go to a
/// temporary file in the target's directory (same file system), are flushed to disk, and the temporary file is then
/// renamed over the target — without overwrite by a no-replace rename, so a file that appeared meanwhile is never
/// replaced; with it, only a regular file is ever replaced. On failure the temporary file is deleted and the target is untouched. Temporary files are
/// named <c>.&lt;name&gt;.&lt;pid&gt;.&lt;random&gt;&lt;mark&gt;.mlnetcnn-tmp</c>; ones this library made (the mark checks) and left by a
/// process that no longer runs (killed mid-write) are removed on the next write into the same folder.
/// </summary>
internal static partial class AtomicFile
{
    public const string TemporarySuffix = ".mlnetcnn-tmp";

    /// <summary>
    /// Writes <paramref name="write"/>'s bytes to the checked <paramref name="output"/> atomically. Not checked again here:
    /// whoever made the target asked once; what changed since is met by the no-replace rename and <see cref="Publish"/>.
    /// </summary>
    /// <exception cref="OutputFileExistsException">A file appeared at the target meanwhile and overwriting was not allowed.</exception>
    /// <exception cref="OutputFileException">The folder cannot be created or written, or the disk is full.</exception>
    public static void Write(OutputTarget output, Action<Stream> write)
    {
        var (target, overwrite) = (output.FullPath, output.Overwrite);
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
            Publish(temporary, target, overwrite);
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    /// <summary>
    /// The last step. Without <paramref name="overwrite"/> the rename never replaces anything: a file that appeared after
    /// the check (another writer, another run) wins and this write fails with <see cref="OutputFileExistsException"/>. With it, a
    /// regular file is replaced, but never a folder, device, FIFO, socket or symbolic link. Either way, something other
    /// than a regular file found there is named for what it is (overwriting would not help).
    /// </summary>
    private static void Publish(string temporary, string target, bool overwrite)
    {
        if (!overwrite)
        {
            var moved = false;
            Guard(target, "writing failed", () => moved = FileNode.TryMoveNoReplace(temporary, target));
            if (!moved) throw (IOException?)NotPublished(target, FileNode.Of(target)) ?? new OutputFileExistsException(target);
            return;
        }
        if (NotPublished(target, FileNode.Of(target)) is { } refusal) throw refusal;
        Guard(target, "writing failed", () => File.Move(temporary, target, overwrite: true));
    }

    /// <summary>Why nothing is ever published over what is at the target: null for nothing or a regular file.</summary>
    private static OutputFileException? NotPublished(string target, FileNode.Kind kind) => kind switch
    {
        FileNode.Kind.Absent or FileNode.Kind.RegularFile => null,
        FileNode.Kind.Directory => new OutputFileException(target, "it is a folder; give a file name inside it instead."),
        _ => OutputFile.NotRegular(target, kind),
    };

    /// <summary>
    /// A fresh temporary name beside <paramref name="target"/>: <c>.&lt;name&gt;.&lt;pid&gt;.&lt;16 random hex&gt;&lt;16 hex mark&gt;.mlnetcnn-tmp</c>.
    /// The process id lets a later write tell a crash leftover from a write in progress; the mark, a hash of the rest of
    /// the name, tells a name this library made from a user's file that merely looks like one (1 in 2^64 by chance).
    /// </summary>
    /// <remarks>A long name is shortened in the temporary name so that any name within NAME_MAX can be written.</remarks>
    internal static string TemporaryPath(string target) => TemporaryPath(target, Environment.ProcessId);

    /// <summary>As <see cref="TemporaryPath(string)"/> for the writer process <paramref name="pid"/> (tests make another process's leftovers).</summary>
    internal static string TemporaryPath(string target, int pid)
    {
        var stem = $".{Shorten(Path.GetFileName(target))}.{pid.ToString(CultureInfo.InvariantCulture)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
        return Path.Combine(Path.GetDirectoryName(target)!, stem + Mark(stem) + TemporarySuffix);
    }

    /// <summary>16 hex digits derived from the rest of a temporary name: only names made by <see cref="TemporaryPath(string)"/> carry the right ones.</summary>
    private static string Mark(string stem) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("mlnetcnn temporary file\0" + stem)), 0, 8);

    /// <summary>True when <paramref name="name"/> is a temporary name this library made; its writer's process id is then <paramref name="pid"/>.</summary>
    internal static bool IsOurTemporaryName(string name, out int pid)
    {
        pid = 0;
        var match = TemporaryName().Match(name);
        return match.Success
               && int.TryParse(match.Groups["pid"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out pid)
               && match.Groups["mark"].Value == Mark(match.Groups["stem"].Value);
    }

    // 60 UTF-16 units are at most 180 UTF-8 bytes; with the dots, pid, guid and suffix the name stays under 255 bytes.
    private static string Shorten(string name)
    {
        const int keep = 60;
        if (name.Length <= keep) return name;
        var cut = char.IsHighSurrogate(name[keep - 1]) ? keep - 1 : keep;
        return name[..cut];
    }

    /// <summary>
    /// Deletes temporary files in <paramref name="directory"/> that this library made (<see cref="IsOurTemporaryName"/>)
    /// and whose writing process has ended; best effort. A file it did not make is never touched, whatever its name:
    /// names of older versions (<c>.&lt;name&gt;.&lt;guid&gt;.tmp</c>) are not removed, since a user's file can look the same.
    /// </summary>
    internal static void RemoveStaleTemporaries(string directory)
    {
        foreach (var file in FilesOrNone(directory, ".*" + TemporarySuffix))
        {
            if (IsOurTemporaryName(Path.GetFileName(file), out var pid) && !IsRunning(pid))
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

    [GeneratedRegex(@"^(?<stem>\..+\.(?<pid>\d+)\.[0-9a-f]{16})(?<mark>[0-9a-f]{16})\.mlnetcnn-tmp$")]
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
