namespace MlNetCnn.IO;

/// <summary>
/// An output file could not be written: its folder cannot be created, is not writable, the path is a folder, or the
/// disk filled up while writing. <see cref="FilePath"/> is the file the caller asked for, never the hidden temporary
/// file the bytes went to first; the target itself is left as it was.
/// </summary>
public sealed class OutputFileException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> saying what the problem is.</summary>
    public OutputFileException(string filePath, string problem, Exception? innerException = null)
        : base($"Cannot write '{filePath}': {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>Full path of the file that could not be written.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
}
