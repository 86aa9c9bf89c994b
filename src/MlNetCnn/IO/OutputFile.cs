namespace MlNetCnn.IO;

/// <summary>
/// Checks an output path before any slow work, so a run is not thrown away at the end because its result cannot be
/// saved: the path is not a folder, its folder exists or can be created, and that folder is writable.
/// </summary>
public static class OutputFile
{
    /// <summary>Throws <see cref="OutputFileException"/> when <paramref name="path"/> cannot be written as a file; creates nothing.</summary>
    /// <returns>The full path.</returns>
    public static string CheckWritable(string path) => Check(path, overwrite: true, existsError: null);

    internal static string Check(string path, bool overwrite, Func<string, Exception>? existsError)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var target = Path.GetFullPath(path);
        if (Directory.Exists(target))
            throw new OutputFileException(target, "it is a folder; give a file name inside it instead.");
        if (!overwrite && File.Exists(target))
            throw existsError?.Invoke(target) ?? new IOException($"'{target}' already exists.");

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
}
