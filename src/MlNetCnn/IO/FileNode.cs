using System.Runtime.InteropServices;

namespace MlNetCnn.IO;

/// <summary>
/// What sits at a path, without following a final symbolic link, and the no-replace rename: the two file-system
/// questions the output checks and <see cref="AtomicFile"/>'s last step need that .NET does not answer (it cannot tell a
/// device or FIFO from a regular file, and <c>File.Move</c> without overwrite may fall back to check-then-rename).
/// On Linux both go to libc (<c>statx</c>, <c>renameat2</c> with <c>RENAME_NOREPLACE</c>, else <c>link</c>+<c>unlink</c>).
/// </summary>
internal static class FileNode
{
    /// <summary>The kind of directory entry at a path.</summary>
    public enum Kind
    {
        /// <summary>Nothing there.</summary>
        Absent,

        /// <summary>A regular file: the only kind an output may replace.</summary>
        RegularFile,

        /// <summary>A folder.</summary>
        Directory,

        /// <summary>A symbolic link (not followed).</summary>
        SymbolicLink,

        /// <summary>A character device (e.g. /dev/full).</summary>
        CharacterDevice,

        /// <summary>A block device.</summary>
        BlockDevice,

        /// <summary>A named pipe.</summary>
        Fifo,

        /// <summary>A Unix socket.</summary>
        Socket,
    }

    /// <summary>Words for a kind in messages ("a character device").</summary>
    public static string Describe(Kind kind) => kind switch
    {
        Kind.RegularFile => "a regular file",
        Kind.Directory => "a folder",
        Kind.SymbolicLink => "a symbolic link",
        Kind.CharacterDevice => "a character device",
        Kind.BlockDevice => "a block device",
        Kind.Fifo => "a named pipe (FIFO)",
        Kind.Socket => "a socket",
        _ => "nothing",
    };

    /// <summary>What is at <paramref name="path"/> (a final symbolic link is reported as such, not followed).</summary>
    public static Kind Of(string path) => Stat(path, followLinks: false);

    /// <summary>What <paramref name="path"/> leads to, every symbolic link followed (a dangling link is <see cref="Kind.Absent"/>).</summary>
    public static Kind Target(string path) => Stat(path, followLinks: true);

    /// <summary>
    /// Throws <see cref="InvalidDataException"/> unless <paramref name="path"/> leads to a regular file: a FIFO or a
    /// device would block a read forever or never end, so data files are refused before anything opens them.
    /// <paramref name="what"/> starts the message ("CIFAR-10 batch file"). A missing path passes (the caller's own
    /// not-found check says so).
    /// </summary>
    public static void ThrowUnlessRegularFile(string path, string what)
    {
        var kind = Target(path);
        if (kind is Kind.Absent or Kind.RegularFile) return;
        throw new InvalidDataException(SpecialFileMessage(path, what, kind));
    }

    /// <summary>
    /// Opens a data file for reading; a file the user may not read is an <see cref="UnauthorizedAccessException"/> whose
    /// message names it as <paramref name="what"/> and says "permission denied" (.NET's own says "Access to the path … is denied").
    /// </summary>
    public static FileStream OpenForReading(string path, string what, int bufferSize = 4096)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"{what} '{path}' cannot be read: permission denied.", e);
        }
    }

    /// <summary>The words for a data file that is not a regular file.</summary>
    public static string SpecialFileMessage(string path, string what, Kind kind) =>
        $"{what} '{path}' is {Describe(kind)}, not a regular file" +
        (kind == Kind.Directory ? "." : ": reading it could block forever or never end, so it is not opened.") +
        " Put the file itself there.";

    private static Kind Stat(string path, bool followLinks)
    {
        if (OperatingSystem.IsLinux())
        {
            var buffer = new byte[256];
            if (Libc.statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxType, buffer) == 0)
            {
                var mode = BitConverter.ToUInt16(buffer, StatxModeOffset) & 0xF000;
                return mode switch
                {
                    0x8000 => Kind.RegularFile,
                    0x4000 => Kind.Directory,
                    0xA000 => Kind.SymbolicLink,
                    0x2000 => Kind.CharacterDevice,
                    0x6000 => Kind.BlockDevice,
                    0x1000 => Kind.Fifo,
                    0xC000 => Kind.Socket,
                    _ => Kind.CharacterDevice,
                };
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno is ENOENT or ENOTDIR or ELOOP) return Kind.Absent;
        }
        return followLinks ? ManagedTargetGuess(path) : ManagedGuess(path);
    }

    /// <summary>Which file a path reaches: device and inode on Linux, the resolved full path elsewhere.</summary>
    public readonly record struct Identity(ulong Device, ulong Inode, string? ResolvedPath);

    /// <summary>
    /// The identity of the file <paramref name="path"/> reaches, symbolic links followed (two names of one file, hard
    /// links or links, have the same identity); null when nothing is there or a link dangles.
    /// </summary>
    public static Identity? IdentityOf(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            var buffer = new byte[256];
            if (Libc.statx(AtFdCwd, path, 0, StatxIno, buffer) == 0)
            {
                var device = ((ulong)BitConverter.ToUInt32(buffer, StatxDevMajorOffset) << 32) | BitConverter.ToUInt32(buffer, StatxDevMinorOffset);
                return new Identity(device, BitConverter.ToUInt64(buffer, StatxInoOffset), null);
            }
            return null;
        }
        try
        {
            var full = Path.GetFullPath(path);
            var resolved = File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full;
            return File.Exists(resolved) || Directory.Exists(resolved) ? new Identity(0, 0, resolved) : null;
        }
        catch (IOException)
        {
            return null; // a link loop
        }
    }

    /// <summary>
    /// Renames <paramref name="source"/> to <paramref name="target"/> only if nothing is at <paramref name="target"/>,
    /// as one step (no window between a check and the rename). False when <paramref name="target"/> exists.
    /// </summary>
    public static bool TryMoveNoReplace(string source, string target)
    {
        if (OperatingSystem.IsLinux())
        {
            if (Libc.renameat2(AtFdCwd, source, AtFdCwd, target, RenameNoReplace) == 0) return true;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == EEXIST) return false;
            // EINVAL: this file system has no RENAME_NOREPLACE; ENOSYS: the kernel or libc lacks renameat2. A hard link
            // is just as atomic: link() fails with EEXIST when the name is taken.
            if (errno is EINVAL or ENOSYS)
            {
                if (Libc.link(source, target) == 0)
                {
                    File.Delete(source);
                    return true;
                }
                errno = Marshal.GetLastPInvokeError();
                if (errno == EEXIST) return false;
            }
            // Anything else (permission, disk, …) is reported by .NET's own move with its usual exception.
        }
        try
        {
            File.Move(source, target, overwrite: false);
            return true;
        }
        catch (IOException) when (Of(target) != Kind.Absent)
        {
            return false;
        }
    }

    private static Kind ManagedTargetGuess(string path)
    {
        if (Directory.Exists(path)) return Kind.Directory;
        return File.Exists(path) ? Kind.RegularFile : Kind.Absent;
    }

    private static Kind ManagedGuess(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget != null) return Kind.SymbolicLink;
        if (Directory.Exists(path)) return Kind.Directory;
        return File.Exists(path) ? Kind.RegularFile : Kind.Absent;
    }

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    // struct statx: stx_mask u32, stx_blksize u32, stx_attributes u64, stx_nlink u32, stx_uid u32, stx_gid u32, stx_mode u16
    // — the same layout on every Linux architecture.
    private const int StatxModeOffset = 28;
    private const uint StatxIno = 0x100;
    // ... __spare0 u16, stx_ino u64 at 32; stx_dev_major and stx_dev_minor u32 at 136 and 140 (filled whatever the mask).
    private const int StatxInoOffset = 32;
    private const int StatxDevMajorOffset = 136;
    private const int StatxDevMinorOffset = 140;
    private const uint RenameNoReplace = 0x1;
    private const int ENOENT = 2;
    private const int EEXIST = 17;
    private const int ENOTDIR = 20;
    private const int EINVAL = 22;
    private const int ENOSYS = 38;
    private const int ELOOP = 40;

    private static class Libc
    {
        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern int renameat2(int olddirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldpath, int newdirfd,
            [MarshalAs(UnmanagedType.LPUTF8Str)] string newpath, uint flags);

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern int link([MarshalAs(UnmanagedType.LPUTF8Str)] string oldpath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newpath);
    }
}
