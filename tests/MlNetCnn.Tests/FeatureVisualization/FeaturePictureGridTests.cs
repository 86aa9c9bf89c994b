using MlNetCnn.FeatureVisualization;
using MlNetCnn.Model;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Training;
using SkiaSharp;

namespace MlNetCnn.Tests.FeatureVisualization;

/// <summary>The PNG grid: every pixel of every tile is the picture's value under it; written atomically, never over a file without overwrite.</summary>
public sealed class FeaturePictureGridTests
{
    [Theory]
    [InlineData(3, FeatureObjective.CentreUnit)]
    [InlineData(1, FeatureObjective.MapMean)]
    public void EachTileShowsItsChannelsCropPixelForPixel(int inputChannels, FeatureObjective objective)
    {
        var architecture = ConvNetArchitecture.Default with { InputChannels = inputChannels, InputHeight = 20, InputWidth = 28, ConvChannels = [14, 4] };
        var settings = new TrainingSettings();
        using var model = new TrainedCnn(TrainingLoop.CreateModel(architecture, settings), SyntheticCifar10.ClassNames, [], settings);
        var result = new FeatureVisualizer { Steps = 10, Objective = objective }.Visualize(model, "conv1");
        using var png = SKBitmap.Decode(FeaturePictureGrid.EncodePng(result, tileSize: 40));
        var (h, w) = result.Field is { } f ? (f.Side, f.Side) : (result.Height, result.Width);
        var scale = (int)Math.Ceiling(40.0 / Math.Max(h, w));
        var columns = Math.Min(14, FeaturePictureGrid.MaxColumns);
        Assert.Equal(columns * w * scale + (columns + 1) * 2, png.Width);
        Assert.Equal(2 * h * scale + 3 * 2, png.Height); // 14 tiles: two rows
        for (var i = 0; i < result.Channels.Count; i++)
        {
            var crop = result.Crop(i);
            var (x0, y0) = (2 + i % columns * (w * scale + 2), 2 + i / columns * (h * scale + 2));
            for (var y = 0; y < h; y++)
                for (var x = 0; x < w; x++)
                {
                    var pixel = png.GetPixel(x0 + x * scale + scale / 2, y0 + y * scale + scale / 2);
                    byte Expected(int c) => (byte)Math.Clamp(MathF.Round(crop[(c * h + y) * w + x] * 255f), 0, 255);
                    Assert.Equal((Expected(0), Expected(inputChannels == 3 ? 1 : 0), Expected(inputChannels == 3 ? 2 : 0)), (pixel.Red, pixel.Green, pixel.Blue));
                }
        }
    }

    [Fact]
    public void WritingRefusesAnExistingFileWithoutOverwrite()
    {
        var settings = new TrainingSettings();
        using var model = new TrainedCnn(TrainingLoop.CreateModel(ConvNetArchitecture.Default, settings), SyntheticCifar10.ClassNames, [], settings);
        var result = new FeatureVisualizer { Steps = 2 }.Visualize(model, "conv1");
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "conv1.png");
        FeaturePictureGrid.WritePng(result, path);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(FeaturePictureGrid.EncodePng(result), bytes);
        File.WriteAllText(path, "keep");
        Assert.Throws<MlNetCnn.IO.OutputFileExistsException>(() => FeaturePictureGrid.WritePng(result, path));
        Assert.Equal("keep", File.ReadAllText(path));
        FeaturePictureGrid.WritePng(result, path, overwrite: true);
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(temp.Path)); // no temporary left behind
    }
}
