namespace MlNetCnn.IO;

/// <summary>
/// The pre-check every save method of this library runs before writing (model files, ONNX export, HTML reports),
/// exposed so an app can run it before a long job and fail at once rather than after training, when the result cannot
/// be saved: the path does not end with a separator, its file name and length fit the file system's limits (NAME_MAX,
/// PATH_MAX), nothing but a regular file is there (never a folder, device, FIFO, socket or symbolic link: those are
/// never replaced, even when overwriting), its folder exists or can be created, and that folder is writable.
/// </summary>
public static class OutputFile
{
    /// <summary>Longest file name (bytes of UTF-8) Linux file systems take (NAME_MAX).</summary>
    internal const int MaxNameBytes = 255;

    /// <summary>Longest path (bytes of UTF-8, with its terminating zero) Linux takes (PATH_MAX).</summary>
    internal const int MaxPathBytes = 4096;

    /// <summary>
    /// Throws <see cref="OutputFileException"/> when <paramref name="path"/> cannot be written as a file, and
    /// <see cref="OutputFileExistsException"/> when a file is already there and <paramref name="overwrite"/> is false;
    /// creates nothing. Pass the target to a save method's <see cref="OutputTarget"/> overload to write there without
    /// checking again.
    /// </summary>
    public static OutputTarget Check(string path, bool overwrite = false) => new(CheckPath(path, overwrite), overwrite);

    /// <summary>
    /// Throws <see cref="OutputIsInputException"/> when <paramref name="path"/> reaches a file the work reads: one of
    /// <paramref name="inputs"/> (files or folders), any file inside an input folder, or another name of one (hard or
    /// symbolic link), compared by file identity (device and inode), not by name. A path where nothing is yet cannot be an
    /// input. Run it before <see cref="Check"/>: an output that is an input is refused even when
    /// overwriting is allowed.
    /// </summary>
    public static void CheckNotAnInput(string path, IEnumerable<string> inputs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(inputs);
        if (FileNode.IdentityOf(path) is not { } output) return;
        foreach (var input in inputs)
        {
            if (string.IsNullOrWhiteSpace(input)) continue;
            if (SameFileSearch.Find(output, input) is { } same)
                throw new OutputIsInputException(Path.GetFullPath(path), same);
        }
    }

    private static string CheckPath(string path, bool overwrite)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var target = Path.GetFullPath(path);
        if (Path.EndsInDirectorySeparator(path))
            throw new OutputFileException(target, "it ends with a path separator, so it names a folder; give a file name (e.g. out/model.zip).");
        // "out/new/." and "out/new/.." name folders too, though the full path ("out/new", "out") no longer shows it.
        if (Path.GetFileName(path) is "." or "..")
            throw new OutputFileException(target, $"it ends with '{Path.DirectorySeparatorChar}{Path.GetFileName(path)}', so it names a folder; give a file name (e.g. out/model.zip).");
        var nameBytes = System.Text.Encoding.UTF8.GetByteCount(Path.GetFileName(target));
        if (nameBytes > MaxNameBytes)
            throw new OutputFileException(target, $"its file name is {nameBytes} bytes long; file systems take at most {MaxNameBytes}. Choose a shorter name.");
        var pathBytes = System.Text.Encoding.UTF8.GetByteCount(target);
        if (pathBytes >= MaxPathBytes)
            throw new OutputFileException(target, $"the path is {pathBytes} bytes long; the system takes at most {MaxPathBytes - 1}. Choose a shorter path.");
        var kind = FileNode.Of(target);
        if (kind == FileNode.Kind.Directory)
            throw new OutputFileException(target, "it is a folder; give a file name inside it instead.");
        if (kind is not (FileNode.Kind.Absent or FileNode.Kind.RegularFile))
            throw NotRegular(target, kind);
        if (!overwrite && kind != FileNode.Kind.Absent)
            throw new OutputFileExistsException(target);

        // The nearest folder that exists decides whether the rest can be created and written.
        var folder = Path.GetDirectoryName(target)!;
        while (!Directory.Exists(folder))
        {
            if (File.Exists(folder))
                throw new OutputFileException(target, $"'{folder}' is a file, so the folder cannot be created.");
            folder = Path.GetDirectoryName(folder) ?? throw new OutputFileException(target, "no part of its folder exists.");
        }
        var probe = AtomicFile.TemporaryPath(Path.Combine(folder, "write-check"));
        AtomicFile.Guard(target, $"folder '{folder}' is not writable", () =>
        {
            using var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        });
        return target;
    }

    /// <summary>The refusal for a path holding something other than a regular file.</summary>
    internal static OutputFileException NotRegular(string target, FileNode.Kind kind) =>
        new(target, $"it is {FileNode.Describe(kind)}, not a regular file; outputs never replace one, not even when overwriting. Choose another path.");
}
