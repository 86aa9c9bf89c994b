using MlNetCnn.IO;

namespace MlNetCnn.Data.Cifar10;

/// <summary>
/// One CIFAR-10 binary batch file, checked on open: its length must be a whole number of records and every label a
/// class index. Errors name the file and the byte offset of the bad record.
/// </summary>
internal sealed class Cifar10BinaryFile
{
    private Cifar10BinaryFile(string path, int recordCount)
    {
        Path = path;
        RecordCount = recordCount;
    }

    public string Path { get; }

    public int RecordCount { get; }

    /// <summary>Opens and validates <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read (the message names it).</exception>
    /// <exception cref="InvalidDataException">The file is empty, truncated, holds a label outside 0–9, or is not a
    /// regular file (a folder, FIFO, socket or device: refused before any read, which could block forever).</exception>
    public static Cifar10BinaryFile Open(string path)
    {
        FileNode.ThrowUnlessRegularFile(path, "CIFAR-10 batch file");
        if (!File.Exists(path))
            throw new FileNotFoundException($"CIFAR-10 batch file '{path}' not found.", path);

        using var stream = FileNode.OpenForReading(path, "CIFAR-10 batch file", 1 << 16);
        var length = stream.Length;
        if (length == 0)
            throw new InvalidDataException($"CIFAR-10 batch file '{path}' is empty; expected records of {Cifar10Format.RecordBytes} bytes.");
        var remainder = length % Cifar10Format.RecordBytes;
        if (remainder != 0)
        {
            var lastStart = length - remainder;
            throw new InvalidDataException(
                $"CIFAR-10 batch file '{path}' is truncated: the record at byte offset {lastStart} has {remainder} of {Cifar10Format.RecordBytes} bytes " +
                $"(file length {length} is not a multiple of {Cifar10Format.RecordBytes}).");
        }

        var count = checked((int)(length / Cifar10Format.RecordBytes));
        for (var i = 0; i < count; i++)
        {
            long offset = (long)i * Cifar10Format.RecordBytes;
            stream.Position = offset;
            CheckLabel(stream.ReadByte(), path, offset);
        }
        return new Cifar10BinaryFile(path, count);
    }

    /// <summary>Throws when a label byte is not a class index.</summary>
    internal static void CheckLabel(int label, string path, long offset)
    {
        if (label < 0 || label >= Cifar10Format.ClassCount)
            throw new InvalidDataException(
                $"CIFAR-10 batch file '{path}' is corrupt: the label at byte offset {offset} is {label}, expected 0–{Cifar10Format.ClassCount - 1}.");
    }
}
