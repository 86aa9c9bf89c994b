using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Data.ImageFolder;
using MlNetCnn.Tests.TestSupport;
using SkiaSharp;

namespace MlNetCnn.Tests.Data.ImageFolder;

/// <summary>
/// Truncated, corrupt and non-image files, written with SkiaSharp and then damaged: refused (or skipped and listed)
/// when the folder is opened, and again when rows are read for training if the folder was opened without decoding.
/// </summary>
public class ImageFolderDamagedFileTests
{
    private static readonly MLContext Ml = new(seed: 1);

    public static TheoryData<string, ImageFolderProblem, string> Damages => new()
    {
        { "png-cut-in-half", ImageFolderProblem.Truncated, "truncated" },
        { "png-cut-to-header", ImageFolderProblem.Truncated, "truncated" },
        { "png-idat-garbled", ImageFolderProblem.CorruptData, "corrupt data" },
        { "jpeg-cut-short", ImageFolderProblem.Truncated, "truncated" },
        { "random-bytes", ImageFolderProblem.NotAnImage, "does not decode as an image" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void DamagedFileIsRefusedWhenOpenedNamingItAndWhy(string damage, ImageFolderProblem problem, string reason)
    {
        using var temp = Dataset();
        var bad = Damage(temp, damage);
        var e = Assert.Throws<ImageFolderException>(() => Ml.Data.LoadFromImageFolder(temp.Path));
        Assert.Equal(problem, e.Problem);
        Assert.Equal(bad, e.Path);
        Assert.Contains($"'{bad}'", e.Message);
        Assert.Contains(reason, e.Message);

        var view = Ml.Data.LoadFromImageFolder(temp.Path, options: new ImageFolderOptions { SkipInvalidFiles = true });
        var skipped = Assert.Single(view.SkippedFiles);
        Assert.Equal((bad, problem), (skipped.Path, skipped.Problem));
        Assert.Equal(3 * 4 - 1, view.RowCount);
        Assert.Equal(view.RowCount, view.GetRowCount());
    }

    [Theory]
    [InlineData("png-cut-in-half")]
    [InlineData("png-idat-garbled")]
    [InlineData("jpeg-cut-short")]
    public void DamageIsMadeTheWayTheTestClaims(string damage)
    {
        // The damaged file still has a readable header (so a header-only check passes it), and the decoder reports
        // the damage only when decoding every pixel: the check above is what finds it.
        using var temp = Dataset();
        var bad = Damage(temp, damage);
        using var codec = SKCodec.Create(bad);
        Assert.NotNull(codec);
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        Assert.Equal(damage.Contains("garbled") ? SKCodecResult.ErrorInInput : SKCodecResult.IncompleteInput, codec.GetPixels(info, bitmap.GetPixels()));
        // What ML.NET's LoadImages calls accepts a truncated file without a word.
        if (!damage.Contains("garbled")) Assert.NotNull(SKBitmap.Decode(bad));
        // Opening without decoding does not see it.
        Assert.Equal(12, Ml.Data.LoadFromImageFolder(temp.Path, options: new ImageFolderOptions { VerifyImages = false }).RowCount);
    }

    [Theory]
    [InlineData("png-cut-in-half", ImageFolderProblem.Truncated)]
    [InlineData("png-idat-garbled", ImageFolderProblem.CorruptData)]
    [InlineData("jpeg-cut-short", ImageFolderProblem.Truncated)]
    public void TrainingOnAFolderOpenedWithoutDecodingStopsAtTheDamagedFile(string damage, ImageFolderProblem problem)
    {
        using var temp = Dataset();
        var bad = Damage(temp, damage);
        var view = Ml.Data.LoadFromImageFolder(temp.Path, options: new ImageFolderOptions { VerifyImages = false });
        var pipeline = Ml.Transforms.LoadImagePixels(view.RootDirectory, 12, 12)
            .Append(Ml.MulticlassClassification.Trainers.SimpleCnn(numberOfEpochs: 1, batchSize: 4));
        var e = Assert.Throws<ImageFolderException>(() => pipeline.Fit(view));
        Assert.Equal(problem, e.Problem);
        Assert.Equal(bad, e.Path);

        // The same through ML.NET's own shuffle (read on worker threads): still the error naming the file, not ML.NET's wrapper.
        var shuffled = Ml.Data.ShuffleRows(view, seed: 2);
        var again = Assert.Throws<ImageFolderException>(() => pipeline.Fit(shuffled));
        Assert.Equal(bad, again.Path);
        // ... where reading the same rows outside the trainer meets ML.NET's wrapper, which the trainer unwraps.
        var raw = Assert.ThrowsAny<Exception>(() =>
            Ml.Transforms.LoadImagePixels(view.RootDirectory, 12, 12).Fit(shuffled).Transform(shuffled).GetColumn<VBuffer<float>>("Features").ToArray());
        Assert.IsNotType<ImageFolderException>(raw);
        Assert.Equal(bad, MlNetCnn.Transforms.TrainingData.LabeledImageCursor.FileError(raw)?.Path);
    }

    [Fact]
    public void SkipInvalidFilesWithoutDecodingLeavesDamagedRowsOutWhenReadAndListsThemOnce()
    {
        using var temp = Dataset();
        var truncated = Damage(temp, "png-cut-in-half");
        var garbled = Damage(temp, "png-idat-garbled", "vertical");
        var view = Ml.Data.LoadFromImageFolder(temp.Path, options: new ImageFolderOptions { VerifyImages = false, SkipInvalidFiles = true });
        Assert.Empty(view.SkippedFiles);
        Assert.Null(view.GetRowCount()); // rows may still be left out

        var pixels = Ml.Transforms.LoadImagePixels(view.RootDirectory, 12, 12).Fit(view).Transform(view);
        for (var epoch = 0; epoch < 2; epoch++)
        {
            var paths = pixels.GetColumn<ReadOnlyMemory<char>>(ImageFolderDataView.ImagePathColumnName).Select(p => p.ToString()).ToArray();
            Assert.Equal(10, paths.Length);
            Assert.DoesNotContain(paths, p => truncated.EndsWith(p) || garbled.EndsWith(p));
            Assert.Equal(10, pixels.GetColumn<VBuffer<float>>("Features").Count());
        }
        Assert.Equal(new[] { (truncated, ImageFolderProblem.Truncated), (garbled, ImageFolderProblem.CorruptData) },
            view.SkippedFiles.Select(s => (s.Path, s.Problem)).OrderBy(s => s.Problem));

        var model = Ml.Transforms.LoadImagePixels(view.RootDirectory, 12, 12)
            .Append(Ml.MulticlassClassification.Trainers.SimpleCnn(numberOfEpochs: 1, batchSize: 4)).Fit(view);
        Assert.NotNull(model);
    }

    [Fact]
    public void FileDamagedAfterAVerifiedOpeningIsCaughtWhenItsRowIsRead()
    {
        using var temp = Dataset();
        var view = Ml.Data.LoadFromImageFolder(temp.Path);
        var paths = view.GetColumn<ReadOnlyMemory<char>>(ImageFolderDataView.ImagePathColumnName).ToArray();
        Assert.Equal(12, paths.Length);

        var bad = temp.Combine("horizontal", "img001.png");
        ImageDamage.Truncate(bad, 0.5);
        var e = Assert.Throws<ImageFolderException>(() => view.GetColumn<ReadOnlyMemory<char>>(ImageFolderDataView.ImagePathColumnName).ToArray());
        Assert.Equal((ImageFolderProblem.Truncated, bad), (e.Problem, e.Path));
        // A label-only cursor reads no image and checks no file.
        Assert.Equal(12, view.GetColumn<uint>(ImageFolderDataView.LabelColumnName).Count());
    }

    [Fact]
    public void SixteenBitPngAndGreyJpegAndGifStillPass()
    {
        // Decoding every pixel must not refuse files ML.NET reads: other colour types and formats decode to their own type.
        using var temp = Dataset();
        ImageFolderWriter.WriteClasses(temp.Path, 2, 12, 12, grayscale: true, classes: ["g"], format: SKEncodedImageFormat.Jpeg);
        var f16 = new SKImageInfo(9, 7, SKColorType.RgbaF16, SKAlphaType.Unpremul);
        using (var bitmap = new SKBitmap(f16))
        {
            bitmap.Erase(new SKColor(10, 200, 30));
            Directory.CreateDirectory(temp.Combine("wide"));
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(temp.Combine("wide", "deep.png"), data.ToArray());
        }
        var view = Ml.Data.LoadFromImageFolder(temp.Path);
        Assert.Equal(12 + 2 + 1, view.RowCount);
        Assert.Contains((7, 9, 1), view.ImageSizes);
    }

    /// <summary>Three classes of four 24×24 colour PNGs.</summary>
    private static TempDirectory Dataset()
    {
        var temp = new TempDirectory();
        ImageFolderWriter.WriteClasses(temp.Path, 4, 24, 24, grayscale: false);
        return temp;
    }

    private static string Damage(TempDirectory temp, string damage, string cls = "horizontal") => ImageDamage.Apply(temp.Path, damage, cls);
}
