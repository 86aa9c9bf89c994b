namespace MlNetCnn.Persistence;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new content: the bytes go to a
/// temporary file in the target's directory (same file system), are flushed to disk, and the temporary file is then
/// renamed over the target. On failure the temporary file is deleted and the target is untouched.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var target = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(target) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        var temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Leave it; the original error matters more.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
