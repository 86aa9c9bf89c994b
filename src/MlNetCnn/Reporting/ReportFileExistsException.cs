namespace MlNetCnn.Reporting;

/// <summary>
/// Thrown by <see cref="ReportDocument.Save"/> when the target exists and overwrite was not requested.
/// A distinct type lets a CLI catch exactly this case and suggest its own flag (e.g. --force).
/// </summary>
public sealed class ReportFileExistsException : IOException
{
    /// <summary>Creates the exception for the existing file at <paramref name="path"/>.</summary>
    public ReportFileExistsException(string path)
        : base($"The file '{path}' already exists; pass overwrite: true to replace it.")
    {
        FilePath = path;
    }

    /// <summary>Full path of the existing file.</summary>
    public string FilePath { get; }
}
