namespace MlNetCnn.Data;

/// <summary>Constants of the official "CIFAR-10 binary version" layout (cifar-10-batches-bin/).</summary>
public static class Cifar10Format
{
    public const int Channels = 3;
    public const int Height = 32;
    public const int Width = 32;
    public const int PixelBytes = Channels * Height * Width;

    /// <summary>One label byte (0–9) followed by 1024 red, 1024 green and 1024 blue bytes, each plane row-major.</summary>
    public const int RecordBytes = 1 + PixelBytes;

    public const int ClassCount = 10;
    public const string MetaFileName = "batches.meta.txt";
    public const string TestFileName = "test_batch.bin";

    public static IReadOnlyList<string> TrainFileNames { get; } =
        Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToArray();

    public static IReadOnlyList<string> FileNames(Cifar10Split split) =>
        split == Cifar10Split.Train ? TrainFileNames : new[] { TestFileName };

    /// <summary>Class names from batches.meta.txt (one per line), or an error naming the file.</summary>
    public static string[] ReadClassNames(string directory)
    {
        var path = Path.Combine(directory, MetaFileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"CIFAR-10 class-name file '{path}' not found; expected {ClassCount} class names, one a line.", path);
        var names = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (names.Length != ClassCount)
            throw new InvalidDataException($"CIFAR-10 class-name file '{path}': expected {ClassCount} class names, got {names.Length}.");
        return names;
    }
}
