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
    /// <exception cref="Cifar10DownloadException">The target exists but is not valid, or the archive is unsafe (path
    /// traversal, links), not a readable .tar.gz or lacks the expected files.</exception>
    /// <exception cref="IO.OutputFileException">The archive or its files cannot be written under
    /// <paramref name="rootDirectory"/> (disk full, permission): names the root. Nothing created is left behind.</exception>
    public async Task<Cifar10DownloadResult> DownloadAsync(string rootDirectory, Cifar10DownloadOptions? options = null,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        options ??= new Cifar10DownloadOptions();
        ArgumentNullException.ThrowIfNull(options.Url, nameof(options.Url));
        if (options.StallTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), options.StallTimeout, "StallTimeout must be positive.");
        var expected = NormalizeChecksum(options.ExpectedChecksum, options.ChecksumAlgorithm);

        rootDirectory = Path.GetFullPath(rootDirectory);
        var target = Path.Combine(rootDirectory, DirectoryName);
        if (Directory.Exists(target))
        {
            if (Validate(target) is { } problem)
                throw new Cifar10DownloadException(
                    $"'{target}' exists but is not a valid CIFAR-10 directory ({problem.Message}). Delete it to download again.", problem);
            return new Cifar10DownloadResult(target, downloaded: false, bytesDownloaded: 0);
        }

        // The folders this call creates go again if it fails (a failed download leaves nothing it made).
        var created = MissingFolders(rootDirectory);
        CreateFolder(rootDirectory, rootDirectory);
        var id = Guid.NewGuid().ToString("N");
        // Siblings of the target, so the final rename stays on one file system.
        var archivePath = Path.Combine(rootDirectory, $".{DirectoryName}.{id}.download");
        var extractDir = Path.Combine(rootDirectory, $".{DirectoryName}.{id}.extract");
        var succeeded = false;
        try
        {
            var (bytes, actual) = await FetchAsync(options, rootDirectory, archivePath, progress, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(actual, expected, StringComparison.Ordinal))
                throw new Cifar10ChecksumMismatchException(options.Url, options.ChecksumAlgorithm, expected, actual);

            CreateFolder(extractDir, rootDirectory);
            await ExtractAsync(archivePath, extractDir, rootDirectory, options.Url, cancellationToken).ConfigureAwait(false);
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
            succeeded = true;
            return new Cifar10DownloadResult(target, downloaded: true, bytesDownloaded: bytes);
        }
        finally
        {
            TryDelete(archivePath, extractDir);
            if (!succeeded) TryDeleteEmpty(created);
        }
    }

    /// <summary>The folders on the way to <paramref name="folder"/> that do not exist yet, deepest first.</summary>
    private static List<string> MissingFolders(string folder)
    {
        var missing = new List<string>();
        for (var dir = folder; dir != null && !Directory.Exists(dir); dir = Path.GetDirectoryName(dir)) missing.Add(dir);
        return missing;
    }

    private static void CreateFolder(string folder, string root)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw WriteFailure(root, e);
        }
    }

    /// <summary>A local write failed (disk full, permission, quota): the download's output folder cannot take it — exit 6, not 5.</summary>
    private static IO.OutputFileException WriteFailure(string root, Exception e) =>
        new(root, "downloading or unpacking CIFAR-10 there failed: " + (e is IOException io
            ? $"{IO.AtomicFile.Describe(io)} ({e.Message})"
            : "permission denied. Choose a folder you can write to."), e);

    /// <summary>Whether <paramref name="directory"/> holds the meta file and all six batch files, each valid.</summary>
    internal static bool IsValidDirectory(string directory) => Validate(directory) is null;

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

    private async Task<(long Bytes, string Checksum)> FetchAsync(Cifar10DownloadOptions options, string root, string archivePath,
        IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var url = options.Url;
        var client = httpClient ?? new HttpClient();
        // Renewed before every wait on the server: it fires only when no bytes come for StallTimeout.
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            stall.CancelAfter(options.StallTimeout);
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new Cifar10NetworkException(
                    $"Downloading {url} failed: the server answered HTTP {(int)response.StatusCode} ({response.ReasonPhrase ?? response.StatusCode.ToString()}).",
                    (int)response.StatusCode);

            using var hash = IncrementalHash.CreateHash(options.ChecksumAlgorithm == Cifar10ChecksumAlgorithm.Md5 ? HashAlgorithmName.MD5 : HashAlgorithmName.SHA256);
            await using var source = await response.Content.ReadAsStreamAsync(stall.Token).ConfigureAwait(false);
            FileStream file;
            try
            {
                // Unbuffered (the chunks are 64 KB already): a buffered stream would flush again when disposed after a
                // failed write, and that second "disk full" would replace the typed error.
                file = new FileStream(archivePath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, useAsync: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw WriteFailure(root, e);
            }
            await using (file.ConfigureAwait(false))
            {
                var buffer = new byte[1 << 16];
                long total = 0;
                while (true)
                {
                    stall.CancelAfter(options.StallTimeout);
                    int read;
                    try
                    {
                        read = await source.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                    }
                    catch (IOException e)
                    {
                        // HttpIOException (the connection closed before Content-Length bytes came, a reset): the network's fault.
                        throw new Cifar10NetworkException($"Downloading {url} failed after {total:N0} bytes: {e.Message}", innerException: e);
                    }
                    if (read == 0) break;
                    hash.AppendData(buffer, 0, read);
                    try
                    {
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        throw WriteFailure(root, e);
                    }
                    total += read;
                    progress?.Report(total);
                }
                if (response.Content.Headers.ContentLength is { } length && length != total)
                    throw new Cifar10NetworkException($"Downloading {url} failed: the server announced {length:N0} bytes but sent {total:N0}.");
                try
                {
                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw WriteFailure(root, e);
                }
                return (total, Convert.ToHexStringLower(hash.GetHashAndReset()));
            }
        }
        catch (HttpRequestException e)
        {
            throw new Cifar10NetworkException($"Downloading {url} failed: {e.Message}", (int?)e.StatusCode, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Our stall timer, or HttpClient's own timeout: both are cancellations the caller did not ask for.
            throw new Cifar10NetworkException(stall.IsCancellationRequested
                ? $"Downloading {url} timed out: no data came for {options.StallTimeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} s."
                : $"Downloading {url} timed out.", innerException: e);
        }
        finally
        {
            if (httpClient is null) client.Dispose();
        }
    }

    /// <summary>Unpacks a .tar.gz with the BCL, refusing entries that would land outside <paramref name="destination"/>.</summary>
    private static async Task ExtractAsync(string archivePath, string destination, string downloadRoot, Uri url, CancellationToken cancellationToken)
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
        catch (Exception e) when (e is UnauthorizedAccessException || (e is IOException && e is not Cifar10DownloadException))
        {
            // The archive was checked against its checksum and read fine so far: what failed is writing its files.
            throw WriteFailure(downloadRoot, e);
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

    /// <summary>Removes the folders this download created, deepest first, each only if it is (still) empty.</summary>
    private static void TryDeleteEmpty(IEnumerable<string> folders)
    {
        foreach (var folder in folders)
        {
            try
            {
                if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
            }
            catch (IOException) { return; }
            catch (UnauthorizedAccessException) { return; }
        }
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
