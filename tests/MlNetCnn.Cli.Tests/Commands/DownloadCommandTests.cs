using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Tests.TestSupport;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Cli.Tests.Commands;

/// <summary>
/// <c>mlnetcnn download</c>: every expected failure has its row in the exit-code table (issue 20), against a server on
/// 127.0.0.1: a usage error (2) before any network, a network failure (8), a download that is not CIFAR-10 (5).
/// </summary>
[Collection("console")]
public sealed class DownloadCommandTests : IDisposable
{
    private readonly LoopbackHttpServer server = new();
    private readonly TempDirectory temp = new("mlnetcnn-download-cli");

    public void Dispose()
    {
        server.Dispose();
        temp.Dispose();
    }

    [Fact]
    public async Task UsageErrorsComeBeforeAnyRequest()
    {
        var url = server.Serve("/c.tar.gz", [1, 2, 3]);
        foreach (var args in new[]
                 {
                     new[] { "--url", url.ToString(), "--md5", "xyz" },
                     ["--url", "http//missing-colon"],
                     ["--url", "ftp://127.0.0.1/c.tar.gz"],
                     ["--url", ""],
                 })
        {
            CliAssert.Exited(ExitCodes.UsageError, await Download(args), args[^2]);
        }
        Assert.Equal(0, server.RequestCount);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public async Task Http404IsANetworkFailure()
    {
        CliAssert.Exited(ExitCodes.NetworkFailure, await Download("--url", new Uri(server.BaseUrl, "/missing.tar.gz").ToString(), "--md5", new string('0', 32)),
            "HTTP 404");
        CliAssert.NotWritten(temp.Combine("data", "cifar-10-batches-bin"));
    }

    [Fact]
    public async Task ConnectionRefusedIsANetworkFailure()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        var url = $"http://127.0.0.1:{port}/c.tar.gz";
        CliAssert.Exited(ExitCodes.NetworkFailure, await Download("--url", url, "--md5", new string('0', 32)), url);
    }

    [Fact]
    public async Task AChecksumMismatchANonGzipAndAnArchiveWithoutTheFolderAreInvalidInput()
    {
        var notGzip = "not a gzip file"u8.ToArray();
        var wrongTree = WrongTree();
        foreach (var (path, body, md5, words) in new[]
                 {
                     ("/mismatch.tar.gz", notGzip, new string('0', 32), "00000000000000000000000000000000"),
                     ("/not-gzip.tar.gz", notGzip, Md5(notGzip), "not a readable .tar.gz"),
                     ("/wrong-tree.tar.gz", wrongTree, Md5(wrongTree), "has no 'cifar-10-batches-bin/' folder"),
                 })
        {
            var url = server.Serve(path, body);
            CliAssert.Exited(ExitCodes.InvalidInput, await Download("--url", url.ToString(), "--md5", md5), words);
            CliAssert.NotWritten(temp.Combine("data", "cifar-10-batches-bin"));
        }
    }

    [Fact]
    public async Task ARootThatIsAFileIsAnOutputErrorBeforeAnyRequest()
    {
        File.WriteAllText(temp.Combine("file"), "x");
        var url = server.Serve("/c.tar.gz", [1, 2, 3]);
        CliAssert.Exited(ExitCodes.OutputNotWritable, await Download(["--url", url.ToString(), "--md5", Md5([1, 2, 3]), "--root", temp.Combine("file")], root: null),
            temp.Combine("file"));
        Assert.Equal(0, server.RequestCount);
    }

    private Task<(int Code, string Output)> Download(params string[] args) => Download(args, temp.Combine("data"));

    private static Task<(int Code, string Output)> Download(string[] args, string? root) =>
        InProcessCli.Run(["download", .. args, .. root == null ? Array.Empty<string>() : ["--root", root], "-q"]);

    private static string Md5(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));

    private static byte[] WrongTree()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "other-folder/readme.txt") { DataStream = new MemoryStream("hello"u8.ToArray()) };
            tar.WriteEntry(entry);
        }
        return buffer.ToArray();
    }
}
