namespace MlNetCnn.Data.Cifar10;

/// <summary>Where CIFAR-10 was found and why that place was chosen.</summary>
public sealed record Cifar10Location(string Directory, string Source);

/// <summary>
/// Finds CIFAR-10 binary files in the documented search order: an explicit path, then
/// <c>data/cifar-10-batches-bin</c>, then <c>../shared/cifar-10-subset</c> (this project's shared subset), each
/// relative to the working directory and to its parents (so it works from any folder inside the repository).
/// </summary>
public static class Cifar10Locator
{
    /// <summary>
    /// The folder, relative to a folder searched, that <c>mlnetcnn download</c> fills by default; the downloaded dataset
    /// is its <see cref="Cifar10Downloader.DirectoryName"/> sub-folder.
    /// </summary>
    public const string DownloadRoot = "data";
    /// <summary>Where <c>mlnetcnn download</c> puts the full dataset, relative to a folder searched.</summary>
    public const string DownloadedRelativePath = DownloadRoot + "/" + Cifar10Downloader.DirectoryName;
    /// <summary>Where the shared CIFAR-10 subset is looked for, relative to a folder searched.</summary>
    public const string SharedSubsetRelativePath = "../shared/cifar-10-subset";

    /// <summary>True when <paramref name="directory"/> holds the test batch and the class names (the minimum to read).</summary>
    internal static bool LooksLikeCifar10(string directory) =>
        File.Exists(Path.Combine(directory, Cifar10Format.TestFileName)) &&
        File.Exists(Path.Combine(directory, Cifar10Format.MetaFileName));

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
        for (var dir = new DirectoryInfo(startDirectory ?? System.IO.Directory.GetCurrentDirectory()); dir != null; dir = dir.Parent)
        {
            var downloaded = Path.Combine(dir.FullName, DownloadedRelativePath);
            if (LooksLikeCifar10(downloaded)) return new Cifar10Location(Path.GetFullPath(downloaded), "the downloaded full dataset (" + DownloadedRelativePath + ")");
            var shared = Path.Combine(dir.FullName, SharedSubsetRelativePath);
            if (LooksLikeCifar10(shared)) return new Cifar10Location(Path.GetFullPath(shared), "the shared CIFAR-10 subset (" + SharedSubsetRelativePath + ")");
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
        if (!System.IO.Directory.Exists(directory)) return;
        try
        {
            using var entries = System.IO.Directory.EnumerateFileSystemEntries(directory).GetEnumerator();
            entries.MoveNext();
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"The data folder '{directory}' cannot be read: permission denied.", e);
        }
    }
}
