using Microsoft.ML;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Data.ImageFolder;

namespace MlNetCnn.Data;

/// <summary>Tells the two dataset layouts the library reads apart, so a caller can open either from one folder.</summary>
public static class DataFolder
{
    /// <summary>
    /// CIFAR-10 binary files when the folder holds the test batch and the class names, else an image folder when it has
    /// one sub-folder of images per class.
    /// </summary>
    /// <param name="directory">An existing folder.</param>
    /// <param name="cancellation">Stops the walk that looks for images.</param>
    /// <exception cref="UnauthorizedAccessException">The folder exists but cannot be listed: an unreadable folder is not taken for an empty one.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder holds neither kind; the message names what was looked for.</exception>
    /// <exception cref="ImageFolderException">An image folder was meant (a train/ folder, loose images) but its layout is
    /// wrong, or a folder in it cannot be listed, has an undecodable name or is past the scan's limits.</exception>
    public static DataFolderKind Detect(string directory, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var full = Path.GetFullPath(directory);
        // Detection lists the folder; an unreadable one would look empty: say "permission denied" instead.
        Cifar10Locator.ThrowIfUnreadable(full);
        if (Cifar10Locator.LooksLikeCifar10(full)) return DataFolderKind.Cifar10;
        if (ImageFolderCatalog.IsImageFolder(full, cancellation)) return DataFolderKind.ImageFolder;
        // A train/ folder or loose images say an image folder was meant: name what is wrong with it, not "neither".
        if (ImageFolderScanner.WhyNotImageFolder(full) is { } why)
            throw new ImageFolderException(ImageFolderProblem.NoClassFolders, full, why);
        throw new DirectoryNotFoundException(
            $"'{full}' holds neither CIFAR-10 binary files ({Cifar10Format.TestFileName} and {Cifar10Format.MetaFileName}) nor an image-folder dataset " +
            $"(one sub-folder of images per class — {string.Join(", ", ImageFolderOptions.ImageExtensions)} — or train/ and test/ trees of them).");
    }
}
