using MlNetCnn.IO;

namespace MlNetCnn.Data.Cifar10;

/// <summary>Constants of the official "CIFAR-10 binary version" layout (cifar-10-batches-bin/).</summary>
internal static class Cifar10Format
{
    /// <summary>Colour planes per image (RGB).</summary>
    public const int Channels = 3;
    /// <summary>Image height in pixels.</summary>
    public const int Height = 32;
    /// <summary>Image width in pixels.</summary>
    public const int Width = 32;
    /// <summary>Pixel bytes per record (3 × 32 × 32), after the one label byte.</summary>
    public const int PixelBytes = Channels * Height * Width;

    /// <summary>One label byte (0–9) followed by 1024 red, 1024 green and 1024 blue bytes, each plane row-major.</summary>
    public const int RecordBytes = 1 + PixelBytes;

    /// <summary>Number of classes.</summary>
    public const int ClassCount = 10;
    /// <summary>File holding the class names, one per line.</summary>
    public const string MetaFileName = "batches.meta.txt";
    /// <summary>The test split's binary file.</summary>
    public const string TestFileName = "test_batch.bin";

    /// <summary>The training split's binary files (data_batch_1..5.bin).</summary>
    public static IReadOnlyList<string> TrainFileNames { get; } =
        Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToArray();

    /// <summary>The binary files of <paramref name="split"/>.</summary>
    public static IReadOnlyList<string> FileNames(Cifar10Split split) =>
        split == Cifar10Split.Train ? TrainFileNames : new[] { TestFileName };

    /// <summary>Class names from batches.meta.txt (one per line), or an error naming the file.</summary>
    public static string[] ReadClassNames(string directory)
    {
        var path = Path.Combine(directory, MetaFileName);
        FileNode.ThrowUnlessRegularFile(path, "CIFAR-10 class-name file");
        if (!File.Exists(path))
            throw new FileNotFoundException($"CIFAR-10 class-name file '{path}' not found; expected {ClassCount} class names, one a line.", path);
        string[] lines;
        using (var reader = new StreamReader(FileNode.OpenForReading(path, "CIFAR-10 class-name file")))
            lines = reader.ReadToEnd().Split('\n');
        var names = lines.Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (names.Length != ClassCount)
            throw new InvalidDataException($"CIFAR-10 class-name file '{path}': expected {ClassCount} class names, got {names.Length}.");
        Model.ClassNameCheck.ThrowIfRepeated(names, $"CIFAR-10 class-name file '{path}'");
        return names;
    }
}
