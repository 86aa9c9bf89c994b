using System.Collections.Concurrent;

namespace MlNetCnn.Data.ImageFolder;

/// <summary>
/// The files of one image-folder scan that were decoded in full, with the length and write time they had then. Rows
/// read later (in training) check a file again only when it changed since (one stat per row), or when it was never
/// decoded (<see cref="ImageFolderOptions.VerifyImages"/> off): then once per file, not once per epoch. Shared by the
/// views of one scan; safe for concurrent cursors.
/// </summary>
internal sealed class VerifiedImageFiles
{
    private readonly ConcurrentDictionary<string, (ImageFileInspector.FileStamp Stamp, ImageFolderException? Error)> checks = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SkippedImageFile> skippedWhenRead = new();
    private readonly ConcurrentDictionary<string, byte> listed = new(StringComparer.Ordinal);

    /// <summary>Records that <paramref name="path"/> decoded completely as it is now.</summary>
    public void Passed(string path)
    {
        try
        {
            checks[path] = (ImageFileInspector.FileStamp.Of(new FileInfo(path)), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone already: the next read checks it again.
        }
    }

    /// <summary>Null when <paramref name="path"/> decodes completely (checked now unless unchanged since the last check), else the problem.</summary>
    public ImageFolderException? Check(string path)
    {
        ImageFileInspector.FileStamp stamp;
        try
        {
            stamp = ImageFileInspector.FileStamp.Of(new FileInfo(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ImageFileInspector.Inspect(path).Error;
        }
        if (checks.TryGetValue(path, out var known) && known.Stamp == stamp) return known.Error;
        var error = ImageFileInspector.Inspect(path).Error;
        checks[path] = (stamp, error);
        return error;
    }

    /// <summary>Lists a file left out while rows were read (once, however many epochs meet it).</summary>
    public void SkippedWhenRead(ImageFolderException error)
    {
        if (listed.TryAdd(error.Path, 0)) skippedWhenRead.Enqueue(new SkippedImageFile(error.Path, error.Problem, error.Message));
    }

    /// <summary>Files left out while rows were read, in the order met.</summary>
    public IReadOnlyList<SkippedImageFile> SkippedOnRead => [.. skippedWhenRead];
}
