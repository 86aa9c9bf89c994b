namespace MlNetCnn.Data.Cifar10;

/// <summary>Where CIFAR-10 was found and why that place was chosen.</summary>
public sealed class Cifar10Location(string directory, string source)
{
    /// <summary>The folder holding the CIFAR-10 binary batches.</summary>
    public string Directory { get; } = directory;

    /// <summary>Why this folder was chosen, e.g. "the path given" or "the shared CIFAR-10 subset".</summary>
    public string Source { get; } = source;
}

/// <summary>
/// Finds CIFAR-10 binary files in the documented search order: an explicit path, then
/// <c>data/cifar-10-batches-bin</c>, then <c>../shared/cifar-10-subset</c> (this project's shared subset), each
/// relative to the working directory and to its parents (so it works from any folder inside the repository).
/// </summary>
public static class Cifar10Locator
{
    /// <summary>
    /// The folder, relative to a folder searched, that <c>mlnetcnn download</c> fills by default: download into it
    /// (<see cref="Cifar10Downloader"/> puts the dataset in its <see cref="Cifar10Downloader.DirectoryName"/>
    /// sub-folder) and <see cref="Find"/> finds the data.
    /// </summary>
    public const string DownloadRoot = "data";
    // Where the downloaded full dataset is looked for, relative to a folder searched.
    internal const string DownloadedRelativePath = DownloadRoot + "/" + Cifar10Downloader.DirectoryName;
    // Where this project's shared CIFAR-10 subset is looked for, relative to a folder searched.
    internal const string SharedSubsetRelativePath = "../shared/cifar-10-subset";

    // The search order, each place with the words Find uses to say why it was chosen.
    private static readonly (string RelativePath, string Description)[] Places =
    [
        (DownloadedRelativePath, "the downloaded full dataset"),
        (SharedSubsetRelativePath, "the shared CIFAR-10 subset"),
    ];

    /// <summary>
    /// Where <see cref="Find"/> looks when no path is given, in order — each relative to the start folder, then to each
    /// of its parents — so an app can say where CIFAR-10 was looked for when it is not found.
    /// </summary>
    public static IReadOnlyList<string> SearchedRelativePaths { get; } = Array.AsReadOnly(Places.Select(p => p.RelativePath).ToArray());

    /// <summary>
    /// True when <paramref name="directory"/> has entries named like the test batch and the class names (the minimum to
    /// read), whatever they are: a folder or FIFO under such a name is then refused by the reader naming it, rather than
    /// the whole folder being called "not CIFAR-10".
    /// </summary>
    internal static bool LooksLikeCifar10(string directory) =>
        IO.FileNode.Of(Path.Combine(directory, Cifar10Format.TestFileName)) != IO.FileNode.Kind.Absent &&
        IO.FileNode.Of(Path.Combine(directory, Cifar10Format.MetaFileName)) != IO.FileNode.Kind.Absent;

    /// <summary>
    /// Returns the first directory in the search order that holds CIFAR-10, or null. An explicit path that does not
    /// hold CIFAR-10 is an error (the user asked for it), not a reason to fall back.
    /// </summary>
    public static Cifar10Location? Find(string? explicitPath = null, string? startDirectory = null)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            var full = Path.GetFullPath(explicitPath);
            if (!LooksLikeCifar10(full))
            {
                ThrowIfUnreadable(full);
                throw new DirectoryNotFoundException(
                    $"'{full}' does not hold CIFAR-10 binary files: expected {Cifar10Format.TestFileName} and {Cifar10Format.MetaFileName} (and data_batch_1..5.bin to train).");
            }
            return new Cifar10Location(full, "the path given");
        }
        for (var dir = new DirectoryInfo(startDirectory ?? Directory.GetCurrentDirectory()); dir != null; dir = dir.Parent)
        {
            foreach (var (relativePath, description) in Places)
            {
                var candidate = Path.Combine(dir.FullName, relativePath);
                if (LooksLikeCifar10(candidate)) return new Cifar10Location(Path.GetFullPath(candidate), description + " (" + relativePath + ")");
            }
        }
        return null;
    }

    // File.Exists says false for files in a folder we may not list; say "permission denied", not "no CIFAR-10 here".
    /// <summary>
    /// Checks that an existing folder can be listed, so that detection (<see cref="LooksLikeCifar10"/>,
    /// <c>ImageFolderCatalog.IsImageFolder</c>) does not mistake an unreadable folder for an empty one. A folder that
    /// does not exist passes.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The folder exists but cannot be listed (permission denied).</exception>
    internal static void ThrowIfUnreadable(string directory)
    {
        if (!Directory.Exists(directory)) return;
        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(directory).GetEnumerator();
            entries.MoveNext();
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"The data folder '{directory}' cannot be read: permission denied.", e);
        }
    }
}
