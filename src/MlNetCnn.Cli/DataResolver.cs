using MlNetCnn.Cli.Output;
using MlNetCnn.Data;

namespace MlNetCnn.Cli;

/// <summary>
/// Finds CIFAR-10 in the documented order — explicit --data, data/cifar-10-batches-bin, ../shared/cifar-10-subset —
/// and otherwise offers to download it (interactive terminals only). Always says which one it used.
/// </summary>
public sealed class DataResolver
{
    private readonly ConsoleReporter reporter;
    private readonly Func<bool> askToDownload;
    private readonly string? startDirectory;

    /// <param name="askToDownload">Asked when nothing is found; default: a yes/no prompt on interactive terminals.</param>
    /// <param name="startDirectory">Where the search starts (default: the working directory).</param>
    public DataResolver(ConsoleReporter reporter, Func<bool>? askToDownload = null, string? startDirectory = null)
    {
        this.reporter = reporter;
        this.askToDownload = askToDownload ?? AskOnConsole;
        this.startDirectory = startDirectory;
    }

    public string Resolve(string? explicitPath)
    {
        Cifar10Location? location;
        try
        {
            location = Cifar10Locator.Find(explicitPath, startDirectory);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new CliException(ExitCodes.DataNotFound, e.Message + " Pass a folder holding the official binary files, or run `mlnetcnn download`.");
        }
        if (location == null)
        {
            if (!askToDownload())
                throw new CliException(ExitCodes.DataNotFound,
                    $"No CIFAR-10 found (looked for --data, {Cifar10Locator.DownloadedRelativePath}, {Cifar10Locator.SharedSubsetRelativePath}). " +
                    "Run `mlnetcnn download` to fetch it into data/, or pass --data DIR.");
            var downloaded = Commands.DownloadCommand.Download(reporter, "data", CancellationToken.None);
            location = new Cifar10Location(downloaded, "a fresh download");
        }
        reporter.Info($"Using CIFAR-10 from {location.Source}: {location.Directory}");
        return location.Directory;
    }

    private bool AskOnConsole()
    {
        if (!reporter.Interactive || Console.IsInputRedirected) return false;
        return Spectre.Console.AnsiConsole.Confirm("No CIFAR-10 found. Download the official archive (~170 MB) into data/?", defaultValue: false);
    }
}
