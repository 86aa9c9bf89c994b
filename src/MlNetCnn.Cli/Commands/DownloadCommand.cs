using System.CommandLine;
using MlNetCnn.Cli.Output;
using MlNetCnn.Data;

namespace MlNetCnn.Cli.Commands;

/// <summary><c>mlnetcnn download</c>: fetch and verify the official CIFAR-10 binary archive into data/.</summary>
public static class DownloadCommand
{
    public static Command Create()
    {
        var root = new Option<string>("--root") { Description = "Folder that receives cifar-10-batches-bin/", DefaultValueFactory = _ => "data" };
        var url = new Option<string?>("--url") { Description = "Mirror URL of cifar-10-binary.tar.gz (default: the official one)" };
        var checksum = new Option<string?>("--md5") { Description = "Expected MD5 of the archive at --url" };
        var quiet = CommonOptions.Quiet();
        var command = new Command("download", "Download the official CIFAR-10 binary archive, verify its checksum and unpack it into data/") { root, url, checksum, quiet };
        command.SetAction((parse, cancel) => CliRunner.RunAsync(parse.GetValue(quiet), reporter =>
        {
            var options = new Cifar10DownloadOptions();
            if (parse.GetValue(url) is { } u) options = new Cifar10DownloadOptions { Url = new Uri(u), ExpectedChecksum = parse.GetValue(checksum) ?? options.ExpectedChecksum };
            var directory = Download(reporter, parse.GetValue(root)!, cancel, options);
            reporter.Result($"CIFAR-10 ready in {directory}");
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    /// <summary>Downloads (or finds already present) CIFAR-10 under <paramref name="root"/> and returns its folder.</summary>
    public static string Download(ConsoleReporter reporter, string root, CancellationToken cancel, Cifar10DownloadOptions? options = null)
    {
        var result = reporter.RunStep("downloading CIFAR-10", progress =>
        {
            var downloader = new Cifar10Downloader();
            // The archive is ~170 MB: report percent of that (the server may not send a length).
            var bytes = new SynchronousProgress<long>(b => progress.Report(Math.Min(99, b * 100.0 / 170_052_171)));
            return downloader.DownloadAsync(root, options, bytes, cancel).GetAwaiter().GetResult();
        });
        reporter.Info(result.Downloaded ? $"Downloaded {result.BytesDownloaded:N0} bytes." : "Already present and valid; nothing downloaded.");
        return result.Directory;
    }
}
