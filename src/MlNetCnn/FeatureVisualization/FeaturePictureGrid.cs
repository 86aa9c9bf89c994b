using System.Runtime.InteropServices;
using MlNetCnn.IO;
using SkiaSharp;

namespace MlNetCnn.FeatureVisualization;

/// <summary>
/// One layer's pictures as one PNG: a grid of tiles in channel order, each channel's picture cut to its unit's receptive
/// field (<see cref="FeatureVisualizationResult.Crop"/>) and enlarged with square pixels. Grey models give grey tiles;
/// fixed-norm inputs (any sign) are drawn as mid-grey = 0, scaled per tile.
/// </summary>
public static class FeaturePictureGrid
{
    /// <summary>Tiles per row at most.</summary>
    internal const int MaxColumns = 12;

    private const int Gap = 2;

    /// <summary>Writes the grid to <paramref name="path"/> atomically (a temporary file renamed over it when complete).</summary>
    /// <param name="tileSize">Displayed side of a tile in pixels at least (each input pixel becomes a square of a whole number of pixels).</param>
    /// <exception cref="OutputFileExistsException"><paramref name="path"/> exists and <paramref name="overwrite"/> is false.</exception>
    /// <exception cref="OutputFileException">The path cannot be written (a folder, a device, permission denied, disk full …).</exception>
    public static void WritePng(FeatureVisualizationResult result, string path, bool overwrite = false, int tileSize = 64)
    {
        ArgumentNullException.ThrowIfNull(result);
        WritePng(result, OutputFile.Check(path, overwrite), tileSize);
    }

    /// <summary>As <see cref="WritePng(FeatureVisualizationResult, string, bool, int)"/>, to an output already checked (<see cref="OutputFile.Check"/>).</summary>
    public static void WritePng(FeatureVisualizationResult result, OutputTarget output, int tileSize = 64)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        var png = EncodePng(result, tileSize);
        AtomicFile.Write(output, stream => stream.Write(png));
    }

    /// <summary>The grid as PNG bytes.</summary>
    public static byte[] EncodePng(FeatureVisualizationResult result, int tileSize = 64)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tileSize);
        var count = result.Channels.Count;
        var (side, sideX) = result.Field is { } f ? (f.Side, f.Side) : (result.Height, result.Width);
        var scale = Math.Max(1, (int)Math.Ceiling((double)tileSize / Math.Max(side, sideX)));
        var columns = Math.Min(count, MaxColumns);
        var rows = (count + columns - 1) / columns;
        var (tileH, tileW) = (side * scale, sideX * scale);
        var (width, height) = (columns * tileW + (columns + 1) * Gap, rows * tileH + (rows + 1) * Gap);
        var rgba = new byte[width * height * 4];
        Array.Fill(rgba, (byte)255);
        var channels = result.InputChannels;
        var plane = side * sideX;
        for (var i = 0; i < count; i++)
        {
            var crop = result.Crop(i);
            var (x0, y0) = (Gap + i % columns * (tileW + Gap), Gap + i / columns * (tileH + Gap));
            var toByte = Shade(crop, result.Parameterization);
            for (var y = 0; y < tileH; y++)
                for (var x = 0; x < tileW; x++)
                {
                    var p = y / scale * sideX + x / scale;
                    var o = ((y0 + y) * width + x0 + x) * 4;
                    for (var c = 0; c < 3; c++)
                        rgba[o + c] = toByte(crop[(channels == 3 ? c : 0) * plane + p]);
                }
        }

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        var rowBytes = width * 4;
        var target = bitmap.GetPixels();
        for (var y = 0; y < height; y++)
            Marshal.Copy(rgba, y * rowBytes, target + y * bitmap.RowBytes, rowBytes);
        using var encoded = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException("SkiaSharp could not encode the feature pictures as PNG.");
        return encoded.ToArray();
    }

    // Pictures are in [0, 1]; a fixed-norm input has any sign, so it is shown around mid-grey, scaled to its own largest |value|.
    private static Func<float, byte> Shade(float[] crop, FeatureParameterization parameterization)
    {
        if (parameterization == FeatureParameterization.Picture)
            return v => (byte)Math.Clamp(MathF.Round(v * 255f), 0f, 255f);
        var max = crop.Select(MathF.Abs).DefaultIfEmpty(0f).Max();
        var half = max > 0 ? 0.5f / max : 0f;
        return v => (byte)Math.Clamp(MathF.Round((0.5f + v * half) * 255f), 0f, 255f);
    }
}
