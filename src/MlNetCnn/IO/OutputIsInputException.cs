namespace MlNetCnn.IO;

/// <summary>
/// The output path reaches a file the same work reads — the input itself, a file inside an input folder, or another name
/// of one (a hard or symbolic link): writing would destroy the input, so nothing is written, whether or not overwriting
/// was asked for (as <c>cp</c> and <c>mv</c> refuse to overwrite their own source).
/// </summary>
public sealed class OutputIsInputException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>, which is the same file as <paramref name="inputPath"/>.</summary>
    public OutputIsInputException(string filePath, string inputPath)
        : base($"'{filePath}' is the same file as the input '{inputPath}'; writing it would destroy the input. Choose another output path.")
    {
        FilePath = filePath;
        InputPath = inputPath;
    }

    /// <summary>Full path of the output that was refused.</summary>
    public string FilePath { get; }

    /// <summary>The input file it is the same file as (the input given, or a file inside an input folder).</summary>
    public string InputPath { get; }
}
