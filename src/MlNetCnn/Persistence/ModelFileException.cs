namespace MlNetCnn.Persistence;

/// <summary>
/// A SimpleCnn model file cannot be read: it is not a model file, is truncated or corrupted, lacks an entry, or was
/// written in a format version this library does not read. The message names the file and what is wrong.
/// (<see cref="InvalidDataException"/> is sealed, so this derives from <see cref="IOException"/>.)
/// </summary>
public sealed class ModelFileException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> (and the entry inside it, when one is at fault).</summary>
    public ModelFileException(string filePath, string problem, string? entryName = null, Exception? innerException = null)
        : base($"Cannot load SimpleCnn model file '{filePath}': {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
        EntryName = entryName;
    }

    /// <summary>The file that failed to load.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }

    /// <summary>The archive entry at fault, when one is.</summary>
    public string? EntryName { get; }
}
