using System.Text;

namespace MlNetCnn.Reporting.Html;

/// <summary>
/// Writes a file so readers see either the old content or the complete new content: write a
/// temporary file in the same directory (same file system, so the rename is atomic), then rename.
/// </summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string content, bool overwrite)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        if (!overwrite && File.Exists(fullPath))
        {
            throw ExistsError(fullPath);
        }

        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            {
                writer.Write(content);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temp, fullPath, overwrite);
            }
            catch (IOException) when (!overwrite && File.Exists(fullPath))
            {
                // Someone created the file between the check and the rename.
                throw ExistsError(fullPath);
            }
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static ReportFileExistsException ExistsError(string fullPath) => new(fullPath);
}
