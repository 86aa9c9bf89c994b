using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Output;
using MlNetCnn.Data;
using MlNetCnn.Data.Cifar10;

namespace MlNetCnn.Cli.Inputs;

/// <summary>
/// Finds the data's <see cref="DataLocation"/>: an explicit --data folder (CIFAR-10 binary files or an image-folder tree, detected), else CIFAR-10
/// in the documented order — data/cifar-10-batches-bin, ../shared/cifar-10-subset — and otherwise offers to download
/// it (interactive terminals only). Always says which one it used and what kind it is.
/// </summary>
public sealed class DataLocator
{
    private readonly ConsoleReporter reporter;
    private readonly Func<bool> askToDownload;
    private readonly string? startDirectory;
    private readonly string downloadRoot;
    private readonly Cifar10DownloadOptions? download;

    /// <param name="askToDownload">Asked when nothing is found; default: a yes/no prompt on interactive terminals.</param>
    /// <param name="startDirectory">Where the search starts (default: the working directory).</param>
    /// <param name="downloadRoot">Where an accepted download goes (default: <see cref="Cifar10Locator.DownloadRoot"/>, where the search looks first).</param>
    /// <param name="download">The archive an accepted download fetches (default: the official one).</param>
    public DataLocator(ConsoleReporter reporter, Func<bool>? askToDownload = null, string? startDirectory = null, string? downloadRoot = null,
        Cifar10DownloadOptions? download = null)
    {
        this.reporter = reporter;
        this.askToDownload = askToDownload ?? AskOnConsole;
        this.startDirectory = startDirectory;
        this.downloadRoot = downloadRoot ?? Cifar10Locator.DownloadRoot;
        this.download = download;
    }

    /// <summary>The data found and its kind; an explicit folder holding neither kind is exit code 3.</summary>
    /// <param name="cancellation">Stops the detection walk, and later the image-folder scan (carried in the result).</param>
    public DataLocation Locate(string? explicitPath, CancellationToken cancellation = default)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            var full = Path.GetFullPath(explicitPath);
            if (File.Exists(full))
                throw new CliException(ExitCodes.InvalidInput, $"--data '{full}' is a file; it takes a folder holding the official CIFAR-10 binary files or one sub-folder of images per class.");
            if (!Directory.Exists(full))
                throw new CliException(ExitCodes.DataNotFound, $"Data folder '{full}' not found. Pass a folder holding the official CIFAR-10 binary files or one sub-folder of images per class, or run `mlnetcnn download`.");
            // An unreadable folder throws UnauthorizedAccessException ("permission denied", exit 5), not "no data here".
            try
            {
                return Found(new DataLocation(DataFolder.Detect(full, cancellation), full), "the path given");
            }
            catch (DirectoryNotFoundException e)
            {
                throw new CliException(ExitCodes.DataNotFound, e.Message, e);
            }
        }

        var location = Cifar10Locator.Find(null, startDirectory);
        if (location == null)
        {
            if (!askToDownload())
                throw new CliException(ExitCodes.DataNotFound,
                    $"No CIFAR-10 found (looked for --data, {string.Join(", ", Cifar10Locator.SearchedRelativePaths)}). " +
                    $"Run `mlnetcnn download` to fetch it into {Cifar10Locator.DownloadRoot}/, or pass --data DIR (CIFAR-10 binary files or one sub-folder of images per class).");
            // The run's token: Ctrl+C during the ~170 MB download stops it (exit 130), as it stops every other step.
            var downloaded = Cifar10Download.Download(reporter, downloadRoot, cancellation, download);
            location = new Cifar10Location(downloaded, "a fresh download");
        }
        return Found(new DataLocation(DataFolderKind.Cifar10, location.Directory), location.Source);
    }

    private DataLocation Found(DataLocation source, string why)
    {
        reporter.Info(source.Kind == DataFolderKind.Cifar10
            ? $"Using CIFAR-10 binary files from {why}: {source.Directory}"
            : $"Using an image-folder dataset (one sub-folder per class) from {why}: {source.Directory}");
        return source;
    }

    private bool AskOnConsole()
    {
        if (!reporter.Interactive || Console.IsInputRedirected) return false;
        return Spectre.Console.AnsiConsole.Confirm($"No CIFAR-10 found. Download the official archive (~170 MB) into {Cifar10Locator.DownloadRoot}/?", defaultValue: false);
    }
}
