using CsCheck;
using Microsoft.ML;
using MlNetCnn.Data.ImageFolder;
using MlNetCnn.Interop.PyTorch;
using MlNetCnn.Model;
using MlNetCnn.Tests.TestSupport;
using SkiaSharp;

namespace MlNetCnn.Tests.Data.ImageFolder;

/// <summary>
/// Readers fail only with their documented exceptions, whatever the input: random image-folder trees (empty, random,
/// truncated and valid files under any names, empty folders, train/test nesting) open or throw
/// <see cref="ImageFolderException"/>; truncated state_dict files throw <see cref="PyTorchModelException"/>.
/// </summary>
public class ImageFolderPropertyTests
{
    private static readonly byte[] Png = EncodePng();

    private enum Content { Empty, RandomBytes, ValidPng, TruncatedPng, PngHeaderThenGarbage }

    private sealed record FileSpec(string Name, Content Content, byte[] Bytes);

    private sealed record Tree(bool Nested, bool WithTest, FileSpec[][] Classes, bool Skip);

    private static readonly string[] Names = ["a.png", "b.PNG", "c.jpg", "d.jpeg", "e.gif", "f.webp", "g.bmp", "notes.txt", "noext", ".hidden.png", "sub/h.png"];

    private static readonly Gen<FileSpec> FileGen =
        from name in Gen.Int[0, Names.Length - 1].Select(i => Names[i])
        from content in Gen.Enum<Content>()
        from bytes in Gen.Byte.Array[0, 200]
        from cut in Gen.Int[0, 400]
        select new FileSpec(name, content, content switch
        {
            Content.Empty => [],
            Content.RandomBytes => bytes,
            Content.ValidPng => Png,
            Content.TruncatedPng => Png[..Math.Min(cut, Png.Length - 1)],
            _ => [.. Png[..16], .. bytes],
        });

    private static readonly Gen<Tree> TreeGen =
        from nested in Gen.Bool
        from withTest in Gen.Bool
        from classes in FileGen.Array[0, 4].Array[0, 4]
        from skip in Gen.Bool
        select new Tree(nested, withTest, classes, skip);

    [Fact]
    public void RandomTreesOpenOrThrowImageFolderException()
    {
        var ml = new MLContext(seed: 1);
        TreeGen.Sample(tree =>
        {
            using var temp = new TempDirectory("mlnetcnn-fuzz");
            Write(temp.Path, tree);
            try
            {
                var (train, test) = ml.Data.LoadFromImageFolderSplits(temp.Path, new ImageFolderOptions { SkipInvalidFiles = tree.Skip });
                Assert.Equal(train.ClassNames.OrderBy(n => n, StringComparer.Ordinal), train.ClassNames);
                Assert.All(train.Files.Concat(test.Files), f => Assert.True(File.Exists(Path.Combine(temp.Path, f.RelativePath)), f.RelativePath));
                Assert.True(train.ClassNames.Count >= 2);
            }
            catch (ImageFolderException e)
            {
                Assert.StartsWith(temp.Path, e.Path);
            }
        }, iter: 150);
    }

    [Fact]
    public void TruncatedStateDictsThrowPyTorchModelException()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("good.pth");
        using (var network = new SimpleCnn(new ConvNetArchitecture { ConvChannels = [2, 2], HiddenUnits = 4, ClassCount = 2, InputHeight = 8, InputWidth = 8 }))
        using (var model = new TrainedCnn(network, ["a", "b"], [], new TrainingSettings()))
            PyTorchStateDict.Save(model, path);
        var bytes = File.ReadAllBytes(path);
        Gen.Int[0, bytes.Length - 1].Sample(length =>
        {
            var cut = temp.Combine($"cut-{length}.pth");
            File.WriteAllBytes(cut, bytes[..length]);
            var e = Assert.Throws<PyTorchModelException>(() => PyTorchStateDict.Load(cut));
            Assert.Equal(Path.GetFullPath(cut), e.FilePath);
        }, iter: 60);
    }

    private static void Write(string root, Tree tree)
    {
        void WriteClasses(string parent)
        {
            for (var c = 0; c < tree.Classes.Length; c++)
            {
                var folder = Path.Combine(parent, $"class{c}");
                Directory.CreateDirectory(folder);
                foreach (var file in tree.Classes[c])
                {
                    var path = Path.Combine(folder, file.Name);
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.WriteAllBytes(path, file.Bytes);
                }
            }
        }
        if (!tree.Nested)
        {
            WriteClasses(root);
            return;
        }
        WriteClasses(Path.Combine(root, "train"));
        if (tree.WithTest) WriteClasses(Path.Combine(root, "test"));
    }

    private static byte[] EncodePng()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(6, 5, SKColorType.Rgba8888, SKAlphaType.Opaque));
        bitmap.Erase(new SKColor(10, 200, 30));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
