namespace MlNetCnn.Data.Cifar10;

/// <summary>Outcome of <see cref="Cifar10Downloader.DownloadAsync"/>.</summary>
/// <param name="Directory">The validated <c>cifar-10-batches-bin</c> directory.</param>
/// <param name="Downloaded"><c>false</c> when a valid directory was already there and nothing was fetched.</param>
/// <param name="BytesDownloaded">Archive bytes received (0 when nothing was fetched).</param>
public sealed record Cifar10DownloadResult(string Directory, bool Downloaded, long BytesDownloaded);
