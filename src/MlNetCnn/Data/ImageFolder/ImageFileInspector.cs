using System.Buffers;
using System.Runtime.InteropServices;
using MlNetCnn.IO;
using SkiaSharp;

namespace MlNetCnn.Data.ImageFolder;

/// <summary>
/// Checks one image file with SkiaSharp, the decoder ML.NET's <c>LoadImages</c> uses. ML.NET decodes with
/// <c>SKBitmap.Decode</c>, which accepts a file that ends early (<see cref="SKCodecResult.IncompleteInput"/>) and hands
/// on whatever part of the image was decoded (the rest left blank); this check decodes every pixel and refuses such a
/// file, as PIL (and so torchvision) does ("image file is truncated").
/// </summary>
internal static class ImageFileInspector
{
    /// <summary>What a file holds: its size and whether it stores one grey channel.</summary>
    internal readonly record struct ImageHeader(int Width, int Height, bool IsGrayscale);

    /// <summary>A file's length and last write time: a file whose stamp is unchanged need not be decoded again.</summary>
    internal readonly record struct FileStamp(long Length, DateTime LastWriteUtc)
    {
        public static FileStamp Of(FileInfo file) => new(file.Length, file.LastWriteTimeUtc);
    }

    /// <summary>
    /// The cheap checks of a file, before any decoding: it exists (not a dangling or looping link) and is not empty.
    /// Null when it passes, else the problem. <see cref="Inspect"/> starts with the same checks.
    /// </summary>
    public static ImageFolderException? CheckPresent(string path)
    {
        try
        {
            return Present(new FileInfo(path), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Unreadable(path, e);
        }
    }

    /// <summary>
    /// Reads <paramref name="path"/>'s header and decodes the whole image. Returns the header, or the problem (empty,
    /// unreadable, not an image, truncated, corrupt data) as an exception to throw or list.
    /// </summary>
    public static (ImageHeader? Header, ImageFolderException? Error) Inspect(string path)
    {
        var format = Path.GetExtension(path).TrimStart('.').ToUpperInvariant();
        try
        {
            var file = new FileInfo(path);
            if (Present(file, path) is { } missing) return (null, missing);
            var length = file.Length;
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var codec = SKCodec.Create(stream, out var created);
            if (codec == null)
            {
                return (null, created == SKCodecResult.IncompleteInput
                    ? Truncated(path, length, format, "its header is cut short")
                    : new ImageFolderException(ImageFolderProblem.NotAnImage, path,
                        $"Image file '{path}' ({length} bytes) does not decode as an image ({created}): it is corrupt or not really a {format}. " +
                        "Remove it, or set SkipInvalidFiles to leave such files out."));
            }
            var info = codec.Info;
            if (info.Width <= 0 || info.Height <= 0)
                return (null, new ImageFolderException(ImageFolderProblem.NotAnImage, path, $"Image file '{path}' declares a {info.Width}×{info.Height} size."));
            var header = new ImageHeader(info.Width, info.Height, info.ColorType is SKColorType.Gray8 or SKColorType.Alpha8);
            var result = DecodeAll(codec, info);
            return result switch
            {
                SKCodecResult.Success => (header, null),
                SKCodecResult.IncompleteInput => (null, Truncated(path, length, format, $"its data ends before the {info.Width}×{info.Height} image is complete")),
                SKCodecResult.ErrorInInput => (null, new ImageFolderException(ImageFolderProblem.CorruptData, path,
                    $"Image file '{path}' ({length} bytes) has corrupt data: the {format} decoder found an error in its compressed data" +
                    (format == "PNG" ? " (a failed CRC checksum or bad deflate data)" : "") +
                    ". Re-copy it from its source, or set SkipInvalidFiles to leave such files out.")),
                _ => (null, new ImageFolderException(ImageFolderProblem.NotAnImage, path,
                    $"Image file '{path}' ({length} bytes) cannot be decoded ({result}). Remove it, or set SkipInvalidFiles to leave such files out.")),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, Unreadable(path, e));
        }
    }

    private static ImageFolderException? Present(FileInfo file, string path)
    {
        if (LinkProblem(file) is { } linkError) return linkError;
        // Before its length or any read: a FIFO reports 0 bytes, and reading one blocks until a writer comes.
        var kind = FileNode.Target(path);
        if (kind is not (FileNode.Kind.Absent or FileNode.Kind.RegularFile))
            return new ImageFolderException(ImageFolderProblem.NotARegularFile, path, FileNode.SpecialFileMessage(path, "Image file", kind) +
                " Or set SkipInvalidFiles to leave such files out.");
        if (!file.Exists) return new ImageFolderException(ImageFolderProblem.Unreadable, path, $"Image file '{path}' no longer exists.");
        return file.Length == 0 ? new ImageFolderException(ImageFolderProblem.EmptyFile, path, $"Image file '{path}' is empty (0 bytes).") : null;
    }

    private static ImageFolderException Unreadable(string path, Exception e) =>
        new(ImageFolderProblem.Unreadable, path, $"Image file '{path}' cannot be read: {e.Message}", e);

    /// <summary>
    /// For a symbolic link: null when it leads to a file, else the problem (a dangling link, a loop of links). A link's
    /// own status says it exists whatever it points to, so the chain is followed here.
    /// </summary>
    internal static ImageFolderException? LinkProblem(FileInfo file)
    {
        var target = file.LinkTarget;
        if (target == null) return null;
        try
        {
            var final = file.ResolveLinkTarget(returnFinalTarget: true);
            if (final is { Exists: true }) return null;
            return new ImageFolderException(ImageFolderProblem.Unreadable, file.FullName,
                $"Image file '{file.FullName}' is a symbolic link to '{target}', which does not exist (a dangling link). " +
                "Fix or remove the link, or set SkipInvalidFiles to leave such files out.");
        }
        catch (IOException e)
        {
            return new ImageFolderException(ImageFolderProblem.Unreadable, file.FullName,
                $"Image file '{file.FullName}' is a symbolic link that cannot be resolved ({e.Message}): a loop of links. " +
                "Fix or remove the link, or set SkipInvalidFiles to leave such files out.", e);
        }
    }

    private static ImageFolderException Truncated(string path, long length, string format, string how) =>
        new(ImageFolderProblem.Truncated, path,
            $"Image file '{path}' ({length} bytes) is truncated: {how} (a {format} cut short, e.g. by an interrupted copy or download). " +
            "Re-copy it from its source, or set SkipInvalidFiles to leave such files out.");

    /// <summary>Decodes every pixel into a scratch buffer, in the file's own colour type when the codec allows it.</summary>
    private static SKCodecResult DecodeAll(SKCodec codec, SKImageInfo info)
    {
        var result = Decode(codec, info);
        // Some codecs cannot write their own colour type (e.g. an index-coloured file): any 8-bit RGBA target reads the same data.
        if (result is SKCodecResult.InvalidConversion or SKCodecResult.InvalidParameters)
            result = Decode(codec, new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        return result;
    }

    private static SKCodecResult Decode(SKCodec codec, SKImageInfo info)
    {
        var bytes = (long)info.RowBytes * info.Height;
        if (bytes > Array.MaxLength) return SKCodecResult.InvalidParameters;
        var buffer = ArrayPool<byte>.Shared.Rent((int)bytes);
        var handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        try
        {
            return codec.GetPixels(info, handle.AddrOfPinnedObject());
        }
        finally
        {
            handle.Free();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
