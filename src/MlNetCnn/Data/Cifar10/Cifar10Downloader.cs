using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace MlNetCnn.Data.Cifar10;

/// <summary>
/// Fetches the official CIFAR-10 binary archive, verifies its checksum, and unpacks it to
/// <c>&lt;root&gt;/cifar-10-batches-bin</c>. The target appears only complete and validated: the archive is unpacked
/// into a temporary sibling directory, checked with <see cref="Cifar10BinaryFile.Open"/>, then renamed into place.
/// On any failure the temporary files are removed.
/// </summary>
public sealed class Cifar10Downloader
{
    /// <summary>Name of the directory the archive unpacks to, and of the target under the root.</summary>
    public const string DirectoryName = "cifar-10-batches-bin";

    private readonly HttpClient? httpClient;

    /// <summary>Creates a downloader.</summary>
    /// <param name="httpClient">Client to use (not disposed here); <c>null</c> creates one per download.</param>
    public Cifar10Downloader(HttpClient? httpClient = null)
    {
        this.httpClient = httpClient;
    }

    /// <summary>
    /// Makes sure <c>&lt;<paramref name="rootDirectory"/>&gt;/cifar-10-batches-bin</c> holds a valid copy of CIFAR-10,
    /// downloading it only when it is absent.
    /// </summary>
    /// <param name="rootDirectory">Parent of the target directory; created if missing.</param>
    /// <param name="options">URL and expected checksum; defaults to the official archive and its published MD5.</param>
    /// <param name="progress">Receives the running total of archive bytes received.</param>
    /// <param name="cancellationToken">Cancels the download or unpacking; temporary files are removed.</param>
    /// <exception cref="Cifar10ChecksumMismatchException">The archive's checksum differs from the expected one.</exception>
    /// <exception cref="Cifar10NetworkException">The server could not be reached, timed out or answered with an HTTP error.</exception>
    /// <exception cref="Cifar10DownloadException">The server answered with an error, the connection failed, the target
    /// exists but is not valid, or the archive is unsafe (path traversal, links) or lacks the expected files.</exception>
    public async Task<Cifar10DownloadResult> DownloadAsync(string rootDirectory, Cifar10DownloadOptions? options = null,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        options ??= new Cifar10DownloadOptions();
        var expected = NormalizeChecksum(options.ExpectedChecksum, options.ChecksumAlgorithm);

        rootDirectory = Path.GetFullPath(rootDirectory);
        var target = Path.Combine(rootDirectory, DirectoryName);
        if (Directory.Exists(target))
        {
            if (Validate(target) is { } problem)
                throw new Cifar10DownloadException(
                    $"'{target}' exists but is not a valid CIFAR-10 directory ({problem.Message}). Delete it to download again.", problem);
            return new Cifar10DownloadResult(target, Downloaded: false, BytesDownloaded: 0);
        }

        Directory.CreateDirectory(rootDirectory);
        var id = Guid.NewGuid().ToString("N");
        // Siblings of the target, so the final rename stays on one file system.
        var archivePath = Path.Combine(rootDirectory, $".{DirectoryName}.{id}.download");
        var extractDir = Path.Combine(rootDirectory, $".{DirectoryName}.{id}.extract");
        try
        {
            var (bytes, actual) = await FetchAsync(options.Url, archivePath, options.ChecksumAlgorithm, progress, cancellationToken)
                .ConfigureAwait(false);
            if (!string.Equals(actual, expected, StringComparison.Ordinal))
                throw new Cifar10ChecksumMismatchException(options.Url, options.ChecksumAlgorithm, expected, actual);

            Directory.CreateDirectory(extractDir);
            await ExtractAsync(archivePath, extractDir, options.Url, cancellationToken).ConfigureAwait(false);
            File.Delete(archivePath);

            var unpacked = Path.Combine(extractDir, DirectoryName);
            if (!Directory.Exists(unpacked))
                throw new Cifar10DownloadException($"The archive from {options.Url} has no '{DirectoryName}/' folder.");
            if (Validate(unpacked) is { } invalid)
                throw new Cifar10DownloadException($"The archive from {options.Url} does not hold valid CIFAR-10 files: {invalid.Message}", invalid);

            try
            {
                Directory.Move(unpacked, target);
            }
            catch (IOException) when (Directory.Exists(target) && Validate(target) is null)
            {
                // Another process finished the same download first; its copy is as good as ours.
            }
            return new Cifar10DownloadResult(target, Downloaded: true, BytesDownloaded: bytes);
        }
        finally
        {
            TryDelete(archivePath, extractDir);
        }
    }

    /// <summary>Whether <paramref name="directory"/> holds the meta file and all six batch files, each valid.</summary>
    public static bool IsValidDirectory(string directory) => Validate(directory) is null;

    /// <summary>Returns why <paramref name="directory"/> is not a valid CIFAR-10 directory, or <c>null</c> if it is.</summary>
    private static Exception? Validate(string directory)
    {
        try
        {
            Cifar10Format.ReadClassNames(directory);
            foreach (var name in Cifar10Format.TrainFileNames.Append(Cifar10Format.TestFileName))
                Cifar10BinaryFile.Open(Path.Combine(directory, name));
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // FileNotFoundException and InvalidDataException are IOExceptions; their messages name the file.
            return e;
        }
    }

    private async Task<(long Bytes, string Checksum)> FetchAsync(Uri url, string archivePath, Cifar10ChecksumAlgorithm algorithm,
        IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var client = httpClient ?? new HttpClient();
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new Cifar10NetworkException(
                    $"Downloading {url} failed: the server answered HTTP {(int)response.StatusCode} ({response.ReasonPhrase ?? response.StatusCode.ToString()}).",
                    (int)response.StatusCode);

            using var hash = IncrementalHash.CreateHash(algorithm == Cifar10ChecksumAlgorithm.Md5 ? HashAlgorithmName.MD5 : HashAlgorithmName.SHA256);
            await using var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using var file = new FileStream(archivePath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            var buffer = new byte[1 << 16];
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                total += read;
                progress?.Report(total);
            }
            return (total, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch (HttpRequestException e)
        {
            throw new Cifar10NetworkException($"Downloading {url} failed: {e.Message}", (int?)e.StatusCode, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient reports its own timeout as a cancellation the caller did not ask for.
            throw new Cifar10NetworkException($"Downloading {url} timed out.", innerException: e);
        }
        finally
        {
            if (httpClient is null) client.Dispose();
        }
    }

    /// <summary>Unpacks a .tar.gz with the BCL, refusing entries that would land outside <paramref name="destination"/>.</summary>
    private static async Task ExtractAsync(string archivePath, string destination, Uri url, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(destination) + Path.DirectorySeparatorChar;
        await using var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        try
        {
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink)
                    throw new Cifar10DownloadException($"The archive from {url} holds a link entry '{entry.Name}'; links are not allowed.");
                var isFile = entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile;
                if (!isFile && entry.EntryType != TarEntryType.Directory)
                    continue; // Metadata entries (PAX headers and the like) carry nothing to write.

                var path = SafePath(root, entry.Name, url);
                if (entry.EntryType == TarEntryType.Directory)
                {
                    Directory.CreateDirectory(path);
                    continue;
                }
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await entry.ExtractToFileAsync(path, overwrite: false, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new Cifar10DownloadException($"The archive from {url} is not a readable .tar.gz: {e.Message}", e);
        }
    }

    /// <summary>Maps a tar entry name to a path under <paramref name="root"/>, or throws for absolute or "..".</summary>
    private static string SafePath(string root, string entryName, Uri url)
    {
        var segments = entryName.Split('/', '\\');
        if (entryName.Length == 0 || Path.IsPathRooted(entryName) || entryName[0] is '/' or '\\'
            || segments.Any(s => s == "..") || entryName.Contains(':'))
            throw new Cifar10DownloadException($"The archive from {url} holds the unsafe entry '{entryName}' (absolute path or '..'); refusing to unpack it.");
        var path = Path.GetFullPath(Path.Combine(root, Path.Combine(segments.Where(s => s.Length > 0 && s != ".").ToArray())));
        // Belt and braces: whatever the name, the result must stay inside the extraction directory.
        if (!path.StartsWith(root, StringComparison.Ordinal))
            throw new Cifar10DownloadException($"The archive from {url} holds the entry '{entryName}', which resolves outside the extraction directory.");
        return path;
    }

    private static string NormalizeChecksum(string checksum, Cifar10ChecksumAlgorithm algorithm)
    {
        var hexLength = algorithm == Cifar10ChecksumAlgorithm.Md5 ? 32 : 64;
        var normalized = checksum?.Trim().ToLowerInvariant() ?? "";
        if (normalized.Length != hexLength || !normalized.All(Uri.IsHexDigit))
            throw new ArgumentException($"Expected checksum '{checksum}' is not a {algorithm} hex string of {hexLength} digits.", nameof(checksum));
        return normalized;
    }

    private static void TryDelete(string file, string directory)
    {
        // Best effort: a failure to clean up must not hide the original error.
        try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        try { if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
