using MlNetCnn.Data.Cifar10;

namespace MlNetCnn.Tests.TestSupport;

/// <summary>Writes small files in the official CIFAR-10 binary layout, so tests can build truncated or corrupt ones.</summary>
public static class SyntheticCifar10
{
    public static readonly IReadOnlyList<string> ClassNames =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>One record: the label byte, then planar R, G, B bytes from <paramref name="pixel"/>(i), i in 0..3071.</summary>
    public static byte[] Record(byte label, Func<int, byte>? pixel = null)
    {
        var record = new byte[Cifar10Format.RecordBytes];
        record[0] = label;
        for (var i = 0; i < Cifar10Format.PixelBytes; i++)
            record[i + 1] = pixel?.Invoke(i) ?? (byte)((i * 7 + label * 31) % 256);
        return record;
    }

    /// <summary>Writes the given records back to back into <paramref name="path"/>.</summary>
    public static void WriteBatch(string path, IEnumerable<byte[]> records)
    {
        using var stream = File.Create(path);
        foreach (var record in records)
            stream.Write(record);
    }

    /// <summary>Writes <c>batches.meta.txt</c> (one name a line, trailing blank line as in the official file).</summary>
    public static void WriteMeta(string directory, IEnumerable<string>? names = null) =>
        File.WriteAllText(Path.Combine(directory, Cifar10Format.MetaFileName), string.Join("\n", names ?? ClassNames) + "\n\n");

    /// <summary>
    /// Writes a complete file set (data_batch_1..5, test_batch, meta) into <paramref name="directory"/>, each batch
    /// holding <paramref name="recordsPerFile"/> records whose labels cycle through the classes.
    /// </summary>
    public static string WriteDirectory(string directory, int recordsPerFile = 3)
    {
        Directory.CreateDirectory(directory);
        WriteMeta(directory);
        var fileNames = Cifar10Format.TrainFileNames.Append(Cifar10Format.TestFileName).ToArray();
        for (var f = 0; f < fileNames.Length; f++)
        {
            var records = Enumerable.Range(0, recordsPerFile).Select(i => Record((byte)((f * recordsPerFile + i) % Cifar10Format.ClassCount)));
            WriteBatch(Path.Combine(directory, fileNames[f]), records);
        }
        return directory;
    }
}
