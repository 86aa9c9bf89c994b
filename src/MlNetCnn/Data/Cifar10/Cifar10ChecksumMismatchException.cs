namespace MlNetCnn.Data.Cifar10;

/// <summary>The downloaded archive's checksum differs from the expected one; the archive was deleted.</summary>
public sealed class Cifar10ChecksumMismatchException : Cifar10DownloadException
{
    /// <summary>Creates the exception for the archive downloaded from <paramref name="url"/>; checksums are lower-case hex.</summary>
    public Cifar10ChecksumMismatchException(Uri url, Cifar10ChecksumAlgorithm algorithm, string expected, string actual)
        : base($"The archive downloaded from {url} has {algorithm} checksum {actual}, expected {expected}. The download was discarded.")
    {
        Url = url;
        Algorithm = algorithm;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>Where the archive was downloaded from.</summary>
    public Uri Url { get; }

    /// <summary>The checksum algorithm compared.</summary>
    public Cifar10ChecksumAlgorithm Algorithm { get; }

    /// <summary>Expected checksum (lower-case hex).</summary>
    public string Expected { get; }

    /// <summary>Checksum of the bytes received (lower-case hex).</summary>
    public string Actual { get; }
}
