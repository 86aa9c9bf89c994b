using System.Buffers.Binary;
using System.Text;
using SkiaSharp;

namespace MlNetCnn.Tests.TestSupport;

/// <summary>Damages image files the ways copies and downloads do: cut short, or bytes changed inside the compressed data.</summary>
public static class ImageDamage
{
    /// <summary>Keeps only the first <paramref name="fraction"/> of the file's bytes.</summary>
    public static void Truncate(string path, double fraction)
    {
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * fraction)]);
    }

    /// <summary>
    /// Inverts <paramref name="count"/> bytes in the middle of a PNG's first IDAT chunk (its deflate data), leaving its
    /// length and stored CRC as they were: the CRC no longer matches. Returns the offset of the first changed byte.
    /// </summary>
    public static int GarblePngData(string path, int count = 8)
    {
        var bytes = File.ReadAllBytes(path);
        var (data, length) = FindChunk(bytes, "IDAT");
        var start = data + length / 2;
        for (var i = 0; i < count && start + i < data + length; i++) bytes[start + i] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        return start;
    }

    /// <summary>Offset of a PNG chunk's data and its length (the first chunk of that type).</summary>
    public static (int DataOffset, int Length) FindChunk(byte[] png, string type)
    {
        for (var at = 8; at + 8 <= png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at, 4));
            if (Encoding.ASCII.GetString(png, at + 4, 4) == type) return (at + 8, length);
            at += 12 + length;
        }
        throw new InvalidOperationException($"No {type} chunk.");
    }

    /// <summary>
    /// Damages <c>img002.png</c> of <paramref name="cls"/> under <paramref name="root"/> as <paramref name="damage"/> says
    /// (png-cut-in-half, png-cut-to-header, png-idat-garbled, jpeg-cut-short — which replaces it by a cut JPEG —, random-bytes)
    /// and returns the damaged file's path.
    /// </summary>
    public static string Apply(string root, string damage, string cls = "horizontal")
    {
        string In(string name) => Path.Combine(root, cls, name);
        var path = In("img002.png");
        switch (damage)
        {
            case "png-cut-in-half":
                Truncate(path, 0.5);
                break;
            case "png-cut-to-header":
                File.WriteAllBytes(path, File.ReadAllBytes(In("img000.png"))[..40]);
                break;
            case "png-idat-garbled":
                GarblePngData(path);
                break;
            case "jpeg-cut-short":
                File.Delete(path);
                path = In("photo.jpg");
                ImageFolderWriter.WriteImage(path, ImageFolderWriter.Pattern("checker", 24, 24, 3, new Random(1)), 24, 24, grayscale: false, SKEncodedImageFormat.Jpeg);
                Truncate(path, 0.6);
                break;
            case "random-bytes":
                var noise = new byte[500];
                new Random(4).NextBytes(noise);
                File.WriteAllBytes(path, noise);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(damage), damage, null);
        }
        return path;
    }
}
