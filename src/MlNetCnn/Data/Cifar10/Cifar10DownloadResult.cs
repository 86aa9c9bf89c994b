namespace MlNetCnn.Data.Cifar10;

/// <summary>Outcome of <see cref="Cifar10Downloader.DownloadAsync"/>.</summary>
public sealed class Cifar10DownloadResult
{
    internal Cifar10DownloadResult(string directory, bool downloaded, long bytesDownloaded)
    {
        Directory = directory;
        Downloaded = downloaded;
        BytesDownloaded = bytesDownloaded;
    }

    /// <summary>The validated <c>cifar-10-batches-bin</c> directory.</summary>
    public string Directory { get; }

    /// <summary><c>false</c> when a valid directory was already there and nothing was fetched.</summary>
    public bool Downloaded { get; }

    /// <summary>Archive bytes received (0 when nothing was fetched).</summary>
    public long BytesDownloaded { get; }
}
