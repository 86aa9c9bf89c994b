using System.Runtime.InteropServices;
using SkiaSharp;

namespace MlNetCnn.Tests.TestSupport;

/// <summary>
/// Writes image-folder datasets for tests: class folders of PNG/JPEG files of any size, colour or grey. Class
/// "horizontal" has horizontal stripes, "vertical" vertical ones, "checker" a checkerboard (each with noise), so a
/// small CNN learns them in an epoch or two.
/// </summary>
public static class ImageFolderWriter
{
    public static readonly string[] PatternClasses = ["horizontal", "vertical", "checker"];

    /// <summary>Writes <paramref name="perClass"/> images of each class under <paramref name="root"/>/&lt;class&gt;/.</summary>
    public static void WriteClasses(string root, int perClass, int height, int width, bool grayscale, string[]? classes = null,
        SKEncodedImageFormat format = SKEncodedImageFormat.Png, int seed = 3)
    {
        classes ??= PatternClasses;
        var random = new Random(seed);
        for (var c = 0; c < classes.Length; c++)
        {
            var folder = Path.Combine(root, classes[c]);
            Directory.CreateDirectory(folder);
            for (var i = 0; i < perClass; i++)
            {
                var extension = format == SKEncodedImageFormat.Jpeg ? "jpg" : format.ToString().ToLowerInvariant();
                WriteImage(Path.Combine(folder, $"img{i:D3}.{extension}"), Pattern(PatternClasses[c % PatternClasses.Length], height, width, grayscale ? 1 : 3, random), height, width, grayscale, format);
            }
        }
    }

    /// <summary>Planar C×H×W values in [0,1] for a pattern kind.</summary>
    public static float[] Pattern(string kind, int height, int width, int channels, Random random)
    {
        var values = new float[channels * height * width];
        var phase = random.Next(4);
        var tint = Enumerable.Range(0, channels).Select(_ => 0.6f + 0.4f * (float)random.NextDouble()).ToArray();
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var on = kind switch
                {
                    "horizontal" => (y + phase) / 2 % 2 == 0,
                    "vertical" => (x + phase) / 2 % 2 == 0,
                    _ => ((x + phase) / 3 + (y + phase) / 3) % 2 == 0,
                };
                for (var c = 0; c < channels; c++)
                {
                    var v = (on ? 0.85f : 0.15f) * tint[c] + (float)(random.NextDouble() - 0.5) * 0.1f;
                    values[(c * height + y) * width + x] = Math.Clamp(v, 0f, 1f);
                }
            }
        return values;
    }

    /// <summary>Encodes planar values (1 or 3 channels) as an image file.</summary>
    public static void WriteImage(string path, float[] planar, int height, int width, bool grayscale, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        var plane = height * width;
        SKImageInfo info;
        byte[] bytes;
        if (grayscale)
        {
            info = new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
            bytes = planar.Take(plane).Select(ToByte).ToArray();
        }
        else
        {
            info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
            bytes = new byte[plane * 4];
            for (var p = 0; p < plane; p++)
            {
                for (var c = 0; c < 3; c++) bytes[p * 4 + c] = ToByte(planar[c * plane + p]);
                bytes[p * 4 + 3] = 255;
            }
        }
        using var bitmap = new SKBitmap(info);
        var rowBytes = info.RowBytes;
        for (var y = 0; y < height; y++)
            Marshal.Copy(bytes, y * rowBytes, bitmap.GetPixels() + y * bitmap.RowBytes, rowBytes);
        using var data = bitmap.Encode(format, 95) ?? throw new InvalidOperationException($"SkiaSharp cannot encode {format}.");
        using var stream = File.Create(path);
        data.SaveTo(stream);
    }

    private static byte ToByte(float v) => (byte)Math.Clamp(MathF.Round(v * 255f), 0f, 255f);
}
