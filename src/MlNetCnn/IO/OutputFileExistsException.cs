namespace MlNetCnn.IO;

/// <summary>
/// The output file exists (or appeared while the work ran) and overwriting was not requested: the existing file is left
/// as it was. Thrown before the work when the file is already there, and by the final no-replace rename when another
/// writer got there first, so two writers to one path cannot both succeed.
/// </summary>
public sealed class OutputFileExistsException : IOException
{
    /// <summary>Creates the exception for the existing file at <paramref name="filePath"/>.</summary>
    public OutputFileExistsException(string filePath)
        : base($"'{filePath}' already exists; pass overwrite: true to replace it.")
    {
        FilePath = filePath;
    }

    /// <summary>Full path of the existing file.</summary>
    public string FilePath { get; }
}
