using MlNetCnn.Cli.Output;
using MlNetCnn.Data.Cifar10;

namespace MlNetCnn.Cli.Inputs;

/// <summary>Fetching CIFAR-10, shared by <c>download</c> and the data locator (which offers it when the data is missing).</summary>
public static class Cifar10Download
{
    /// <summary>Downloads (or finds already present) CIFAR-10 under <paramref name="root"/> and returns its folder.</summary>
    public static string Download(ConsoleReporter reporter, string root, CancellationToken cancel, Cifar10DownloadOptions? options = null)
    {
        var result = reporter.RunStep("downloading CIFAR-10", progress =>
        {
            var downloader = new Cifar10Downloader();
            // The archive is ~170 MB: report the fraction of that (the server may not send a length).
            var bytes = new SynchronousProgress<long>(b => progress.Report(Math.Min(0.99, b / 170_052_171.0)));
            return downloader.DownloadAsync(root, options, bytes, cancel).GetAwaiter().GetResult();
        }, cancel);
        reporter.Info(result.Downloaded ? $"Downloaded {result.BytesDownloaded:N0} bytes." : "Already present and valid; nothing downloaded.");
        return result.Directory;
    }
}
