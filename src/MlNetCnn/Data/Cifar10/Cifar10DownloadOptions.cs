namespace MlNetCnn.Data.Cifar10;

/// <summary>Where <see cref="Cifar10Downloader"/> fetches the archive from and how it checks it.</summary>
public sealed class Cifar10DownloadOptions
{
    /// <summary>The official "CIFAR-10 binary version" archive.</summary>
    public const string DefaultUrl = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";

    /// <summary>MD5 of <see cref="DefaultUrl"/> as published on https://www.cs.toronto.edu/~kriz/cifar.html.</summary>
    public const string DefaultMd5 = "c32a1d4ab5d03f1284b67883e8d87530";

    /// <summary>Archive URL (any scheme <see cref="HttpClient"/> accepts; plain HTTP is allowed, e.g. for a local mirror).</summary>
    public Uri Url { get; init; } = new(DefaultUrl);

    /// <summary>Expected checksum of the archive as hex (case-insensitive).</summary>
    public string ExpectedChecksum { get; init; } = DefaultMd5;

    /// <summary>Algorithm of <see cref="ExpectedChecksum"/>.</summary>
    public Cifar10ChecksumAlgorithm ChecksumAlgorithm { get; init; } = Cifar10ChecksumAlgorithm.Md5;

    /// <summary>Default <see cref="StallTimeout"/>.</summary>
    public static readonly TimeSpan DefaultStallTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Longest wait for the next bytes of the response (headers or body, default <see cref="DefaultStallTimeout"/>): a
    /// server that goes silent mid-download is a <see cref="Cifar10NetworkException"/>, not a hang. A slow but moving
    /// download is never cut off.
    /// </summary>
    public TimeSpan StallTimeout { get; init; } = DefaultStallTimeout;
}
