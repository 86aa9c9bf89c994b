using System.CommandLine;
using MlNetCnn.Cli.Inputs;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Options;
using MlNetCnn.Data.Cifar10;

namespace MlNetCnn.Cli.Commands;

/// <summary><c>mlnetcnn download</c>: fetch and verify the official CIFAR-10 binary archive into data/.</summary>
public static class DownloadCommand
{
    public static Command Create()
    {
        var root = new Option<string>("--root")
        {
            Description = $"Folder that receives {Cifar10Downloader.DirectoryName}/",
            DefaultValueFactory = _ => Cifar10Locator.DownloadRoot,
        };
        var url = new Option<Uri?>("--url") { Description = "Mirror URL (http or https) of cifar-10-binary.tar.gz (default: the official one)" }
            .ParsedAs(ParseUrl);
        var checksum = new Option<string?>("--md5") { Description = "Expected MD5 of the archive at --url (32 hex digits)" }
            .Check(IsMd5, "32 hexadecimal digits (an MD5), e.g. " + Cifar10DownloadOptions.DefaultMd5);
        var quiet = CommonOptions.Quiet();
        var command = new Command("download", $"Download the official CIFAR-10 binary archive, verify its checksum and unpack it into {Cifar10Locator.DownloadRoot}/") { root, url, checksum, quiet };
        command.SetAction((parse, cancel) => CliRunner.RunAsync(parse.GetValue(quiet), cancel, reporter =>
        {
            var defaults = new Cifar10DownloadOptions();
            var options = new Cifar10DownloadOptions
            {
                Url = parse.GetValue(url) ?? defaults.Url,
                ExpectedChecksum = parse.GetValue(checksum)?.ToLowerInvariant() ?? defaults.ExpectedChecksum,
            };
            var rootPath = parse.GetValue(root)!;
            // Before any network: the folder must be one this user can create and write (exit 6), unless the data is there.
            if (!Directory.Exists(Path.Combine(rootPath, Cifar10Downloader.DirectoryName)))
                IO.OutputFile.Check(Path.Combine(rootPath, Cifar10Downloader.DirectoryName + ".download"), overwrite: true);
            var directory = Cifar10Download.Download(reporter, rootPath, cancel, options);
            reporter.Result($"CIFAR-10 ready in {directory}");
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    /// <summary>An absolute http or https URL; a usage error naming --url otherwise (checked while parsing).</summary>
    public static Uri? ParseUrl(string? text)
    {
        if (text == null) return null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
            throw new CliException(ExitCodes.UsageError, $"--url: '{text}' is not an absolute URL (expected e.g. https://example.org/cifar-10-binary.tar.gz).");
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            throw new CliException(ExitCodes.UsageError, $"--url: the scheme '{uri.Scheme}' is not supported; use http or https.");
        return uri;
    }

    private static bool IsMd5(string? text) => text is { Length: 32 } && text.All(Uri.IsHexDigit);
}
