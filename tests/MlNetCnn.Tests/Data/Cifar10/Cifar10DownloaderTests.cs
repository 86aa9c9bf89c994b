using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Data.Cifar10;

public sealed class Cifar10DownloaderTests : IDisposable
{
    private const int RecordsPerFile = 4;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly LoopbackHttpServer server = new();
    private readonly HttpClient client = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly TempDirectory root = new("mlnetcnn-download");

    public void Dispose()
    {
        client.Dispose();
        server.Dispose();
        root.Dispose();
    }

    [Fact]
    public void DefaultsAreTheOfficialArchiveAndItsPublishedMd5()
    {
        var options = new Cifar10DownloadOptions();
        Assert.Equal(new Uri("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"), options.Url);
        Assert.Equal("c32a1d4ab5d03f1284b67883e8d87530", options.ExpectedChecksum);
        Assert.Equal(Cifar10ChecksumAlgorithm.Md5, options.ChecksumAlgorithm);
    }

    [Theory]
    [InlineData(Cifar10ChecksumAlgorithm.Md5)]
    [InlineData(Cifar10ChecksumAlgorithm.Sha256)]
    public async Task DownloadExtractsValidatesAndReaderReadsRecords(Cifar10ChecksumAlgorithm algorithm)
    {
        var archive = BuildArchive(ValidEntries());
        var url = server.Serve("/cifar-10-binary.tar.gz", archive);
        var progress = new RecordingProgress();

        var result = await new Cifar10Downloader(client)
            .DownloadAsync(root.Path, Options(url, archive, algorithm), progress)
            .WaitAsync(Bound);

        var target = Path.Combine(root.Path, "cifar-10-batches-bin");
        Assert.Equal(target, result.Directory);
        Assert.True(result.Downloaded);
        Assert.Equal(archive.Length, result.BytesDownloaded);
        Assert.Equal(archive.Length, progress.Values.Last());
        Assert.True(progress.Values.SequenceEqual(progress.Values.Order()), "Progress must not go backwards.");
        Assert.Equal(["cifar-10-batches-bin"], Directory.EnumerateFileSystemEntries(root.Path).Select(Path.GetFileName));

        Assert.Equal(5 * RecordsPerFile, new Cifar10DataView(target, Cifar10Split.Train).GetRowCount());
        Assert.Equal(RecordsPerFile, Cifar10DataViewTests.CountRows(new Cifar10DataView(target, Cifar10Split.Test)));
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(SharedData.CifarDirectory, "data_batch_3.bin")).AsSpan(0, RecordsPerFile * 3073).ToArray(),
            File.ReadAllBytes(Path.Combine(target, "data_batch_3.bin")));
    }

    [Fact]
    public async Task ExistingValidTargetIsNotDownloadedAgain()
    {
        var archive = BuildArchive(ValidEntries());
        var url = server.Serve("/a.tar.gz", archive);
        var downloader = new Cifar10Downloader(client);
        await downloader.DownloadAsync(root.Path, Options(url, archive)).WaitAsync(Bound);
        var requests = server.RequestCount;

        var again = await downloader.DownloadAsync(root.Path, Options(url, archive)).WaitAsync(Bound);

        Assert.False(again.Downloaded);
        Assert.Equal(0, again.BytesDownloaded);
        Assert.Equal(requests, server.RequestCount);
    }

    [Fact]
    public async Task ExistingInvalidTargetIsReportedAndLeftAlone()
    {
        var target = Path.Combine(root.Path, "cifar-10-batches-bin");
        SyntheticCifar10.WriteDirectory(target);
        File.Delete(Path.Combine(target, "data_batch_2.bin"));
        var archive = BuildArchive(ValidEntries());
        var url = server.Serve("/a.tar.gz", archive);

        var e = await Assert.ThrowsAsync<Cifar10DownloadException>(
            () => new Cifar10Downloader(client).DownloadAsync(root.Path, Options(url, archive)).WaitAsync(Bound));

        Assert.Contains(target, e.Message);
        Assert.Contains("data_batch_2.bin", e.Message);
        Assert.Equal(0, server.RequestCount);
        Assert.Equal(6, Directory.EnumerateFiles(target).Count());
    }

    [Fact]
    public async Task ChecksumMismatchThrowsTypedErrorAndLeavesNothing()
    {
        var archive = BuildArchive(ValidEntries());
        var url = server.Serve("/a.tar.gz", archive);
        var wrong = new string('0', 32);
        var actual = Convert.ToHexStringLower(MD5.HashData(archive));

        var e = await Assert.ThrowsAsync<Cifar10ChecksumMismatchException>(() => new Cifar10Downloader(client)
            .DownloadAsync(root.Path, new Cifar10DownloadOptions { Url = url, ExpectedChecksum = wrong }).WaitAsync(Bound));

        Assert.Equal(url, e.Url);
        Assert.Equal(wrong, e.Expected);
        Assert.Equal(actual, e.Actual);
        Assert.Contains(url.ToString(), e.Message);
        Assert.Contains(wrong, e.Message);
        Assert.Contains(actual, e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root.Path));
    }

    [Fact]
    public async Task NotFoundThrowsClearErrorAndLeavesNothing()
    {
        var url = new Uri(server.BaseUrl, "/missing.tar.gz");

        // A network failure (worth retrying), not a bad archive: its own type with the HTTP status.
        var e = await Assert.ThrowsAsync<Cifar10NetworkException>(() => new Cifar10Downloader(client)
            .DownloadAsync(root.Path, new Cifar10DownloadOptions { Url = url }).WaitAsync(Bound));

        Assert.Equal(404, e.StatusCode);
        Assert.Contains("404", e.Message);
        Assert.Contains(url.ToString(), e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root.Path));
    }

    [Fact]
    public async Task ConnectionRefusedThrowsDownloadError()
    {
        var port = server.BaseUrl.Port;
        server.Dispose();
        var url = new Uri($"http://127.0.0.1:{port}/a.tar.gz");

        var e = await Assert.ThrowsAsync<Cifar10NetworkException>(() => new Cifar10Downloader(client)
            .DownloadAsync(root.Path, new Cifar10DownloadOptions { Url = url }).WaitAsync(Bound));

        Assert.Null(e.StatusCode);
        Assert.Contains(url.ToString(), e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root.Path));
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("cifar-10-batches-bin/../../evil")]
    [InlineData("/tmp/mlnetcnn-evil")]
    public async Task PathTraversalEntryIsRejected(string entryName)
    {
        var entries = ValidEntries().Append(FileEntry(entryName, [1, 2, 3])).ToList();
        var archive = BuildArchive(entries);

        var e = await RejectedArchive("/evil.tar.gz", archive);
        Assert.Contains(entryName, e.Message);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(root.Path)!, "evil")));
        Assert.False(File.Exists("/tmp/mlnetcnn-evil"));
    }

    [Fact]
    public async Task SymbolicLinkEntryIsRejected()
    {
        var link = new PaxTarEntry(TarEntryType.SymbolicLink, "cifar-10-batches-bin/readme.html") { LinkName = "/etc/passwd" };
        var archive = BuildArchive(ValidEntries().Append(link));

        var e = await RejectedArchive("/link.tar.gz", archive);
        Assert.Contains("link", e.Message);
    }

    [Fact]
    public async Task ArchiveMissingABatchFileIsRejected()
    {
        var archive = BuildArchive(ValidEntries().Where(e => !e.Name.EndsWith("test_batch.bin")));

        var e = await RejectedArchive("/partial.tar.gz", archive);
        Assert.Contains("test_batch.bin", e.Message);
    }

    [Fact]
    public async Task ArchiveWithoutTopFolderIsRejected()
    {
        var archive = BuildArchive([FileEntry("data_batch_1.bin", new byte[3073])]);

        var e = await RejectedArchive("/flat.tar.gz", archive);
        Assert.Contains("cifar-10-batches-bin", e.Message);
    }

    [Fact]
    public async Task NotGzipIsRejected()
    {
        var archive = "this is not a gzip file"u8.ToArray();

        await RejectedArchive("/junk.tar.gz", archive);
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.7)]
    public async Task ABodyThatStallsAfterTheHeadersTimesOutAsANetworkFailureAndLeavesNothing(double stallSeconds)
    {
        var archive = BuildArchive(ValidEntries());
        using var stalling = new ScriptedHttpServer(archive, sent: archive.Length / 3, announced: archive.Length, stallAfter: true);
        var fresh = Path.Combine(root.Path, "data", "deeper");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<Cifar10NetworkException>(() => new Cifar10Downloader(client)
            .DownloadAsync(fresh, Options(stalling.Url, archive)).WaitAsync(Bound));
        // (the client's own 30 s timeout is far away: the stall timer fired)
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the stall was noticed after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Contains("timed out", e.Message);
        Assert.Contains(stalling.Url.ToString(), e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root.Path)); // not even the data/deeper folders it made

        Cifar10DownloadOptions Options(Uri url, byte[] bytes) => new()
        {
            Url = url,
            ExpectedChecksum = Convert.ToHexStringLower(MD5.HashData(bytes)),
            StallTimeout = TimeSpan.FromSeconds(stallSeconds),
        };
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1_000)]
    [InlineData(-1)]   // all but the last byte
    public async Task AShortResponseIsANetworkFailureAndLeavesNothing(int sent)
    {
        var archive = BuildArchive(ValidEntries());
        var count = sent < 0 ? archive.Length + sent : sent;
        using var shortServer = new ScriptedHttpServer(archive, sent: count, announced: archive.Length, stallAfter: false);
        var fresh = Path.Combine(root.Path, "data");

        var e = await Assert.ThrowsAsync<Cifar10NetworkException>(() => new Cifar10Downloader(client)
            .DownloadAsync(fresh, Options(shortServer.Url, archive)).WaitAsync(Bound));
        Assert.Contains(shortServer.Url.ToString(), e.Message);
        Assert.Null(e.StatusCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root.Path));
    }

    [Fact]
    public async Task AFailedDownloadRemovesOnlyTheFoldersItCreated()
    {
        var url = new Uri(server.BaseUrl, "/missing.tar.gz");
        Directory.CreateDirectory(Path.Combine(root.Path, "mine"));
        File.WriteAllText(Path.Combine(root.Path, "mine", "notes.txt"), "kept");
        await Assert.ThrowsAsync<Cifar10NetworkException>(() => new Cifar10Downloader(client)
            .DownloadAsync(Path.Combine(root.Path, "mine", "a", "b"), new Cifar10DownloadOptions { Url = url }).WaitAsync(Bound));
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(Path.Combine(root.Path, "mine")).Select(Path.GetFileName));

        // An existing empty root is the user's: it stays.
        Directory.CreateDirectory(Path.Combine(root.Path, "empty"));
        await Assert.ThrowsAsync<Cifar10NetworkException>(() => new Cifar10Downloader(client)
            .DownloadAsync(Path.Combine(root.Path, "empty"), new Cifar10DownloadOptions { Url = url }).WaitAsync(Bound));
        Assert.True(Directory.Exists(Path.Combine(root.Path, "empty")));
    }

    [SmallDiskTheory]
    [InlineData(64)]    // full while downloading: the archive itself does not fit
    [InlineData(400)]   // the archive fits, its unpacked files do not
    public async Task ADiskThatFillsUpIsAnOutputErrorNamingTheRootAndLeavesNothing(int kilobytes)
    {
        var archive = BuildArchive(ValidEntries().Select(e => e.Name.EndsWith(".bin", StringComparison.Ordinal)
            ? FileEntry(e.Name, RandomRecords(12)) : e));
        Assert.InRange(archive.Length, 64 * 1024, 400 * 1024 - 16 * 1024);
        var url = server.Serve("/full.tar.gz", archive);
        using var disk = SmallDisk.Mount(root.Combine("small"), kilobytes);

        var target = Path.Combine(disk.Path, "data");
        var e = await Assert.ThrowsAsync<MlNetCnn.IO.OutputFileException>(() => new Cifar10Downloader(client)
            .DownloadAsync(target, Options(url, archive)).WaitAsync(Bound));
        Assert.Equal(target, e.FilePath);
        Assert.True(e.Message.Contains("no space left"), e.ToString());
        Assert.Empty(Directory.EnumerateFileSystemEntries(disk.Path));
    }

    /// <summary><paramref name="count"/> records of random pixels (incompressible, so the archive's size is the data's).</summary>
    private static byte[] RandomRecords(int count)
    {
        var random = new Random(count);
        var bytes = new byte[count * 3073];
        random.NextBytes(bytes);
        for (var i = 0; i < count; i++) bytes[i * 3073] = (byte)(i % 10);
        return bytes;
    }

    [Fact]
    public async Task CancellationLeavesNothing()
    {
        var archive = BuildArchive(ValidEntries());
        var url = server.Serve("/a.tar.gz", archive);
        using var cts = new CancellationTokenSource();
        var progress = new RecordingProgress(onReport: cts.Cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new Cifar10Downloader(client)
            .DownloadAsync(root.Path, Options(url, archive), progress, cts.Token).WaitAsync(Bound));

        Assert.Empty(Directory.EnumerateFileSystemEntries(root.Path));
    }

    [Fact]
    public async Task MalformedExpectedChecksumIsArgumentError()
    {
        var url = server.Serve("/a.tar.gz", [1]);
        await Assert.ThrowsAsync<ArgumentException>(() => new Cifar10Downloader(client)
            .DownloadAsync(root.Path, new Cifar10DownloadOptions { Url = url, ExpectedChecksum = "abc" }).WaitAsync(Bound));
        Assert.Equal(0, server.RequestCount);
    }

    /// <summary>Serves <paramref name="archive"/> at <paramref name="path"/>; asserts the download is refused and leaves the root empty.</summary>
    private async Task<Cifar10DownloadException> RejectedArchive(string path, byte[] archive)
    {
        var url = server.Serve(path, archive);
        var e = await Assert.ThrowsAsync<Cifar10DownloadException>(() => new Cifar10Downloader(client)
            .DownloadAsync(root.Path, Options(url, archive)).WaitAsync(Bound));
        Assert.Empty(Directory.EnumerateFileSystemEntries(root.Path));
        return e;
    }

    private static Cifar10DownloadOptions Options(Uri url, byte[] archive, Cifar10ChecksumAlgorithm algorithm = Cifar10ChecksumAlgorithm.Md5) =>
        new()
        {
            Url = url,
            ChecksumAlgorithm = algorithm,
            // Upper case on purpose: the comparison must not care.
            ExpectedChecksum = Convert.ToHexString(algorithm == Cifar10ChecksumAlgorithm.Md5 ? MD5.HashData(archive) : SHA256.HashData(archive)),
        };

    /// <summary>The official archive's layout, with the first few records of each shared-subset file.</summary>
    private static IEnumerable<TarEntry> ValidEntries()
    {
        var shared = SharedData.CifarDirectory;
        yield return new PaxTarEntry(TarEntryType.Directory, "cifar-10-batches-bin/");
        yield return FileEntry("cifar-10-batches-bin/batches.meta.txt", File.ReadAllBytes(Path.Combine(shared, "batches.meta.txt")));
        foreach (var name in Cifar10Format.TrainFileNames.Append(Cifar10Format.TestFileName))
            yield return FileEntry($"cifar-10-batches-bin/{name}",
                File.ReadAllBytes(Path.Combine(shared, name)).AsSpan(0, RecordsPerFile * Cifar10Format.RecordBytes).ToArray());
        yield return FileEntry("cifar-10-batches-bin/readme.html", "<html></html>"u8.ToArray());
    }

    private static PaxTarEntry FileEntry(string name, byte[] content) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) };

    private static byte[] BuildArchive(IEnumerable<TarEntry> entries)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
                tar.WriteEntry(entry);
        }
        return output.ToArray();
    }

    /// <summary>Records reports synchronously (<see cref="Progress{T}"/> would post them later).</summary>
    private sealed class RecordingProgress(Action? onReport = null) : IProgress<long>
    {
        public List<long> Values { get; } = [];

        public void Report(long value)
        {
            Values.Add(value);
            onReport?.Invoke();
        }
    }
}
