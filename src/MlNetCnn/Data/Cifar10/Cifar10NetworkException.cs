namespace MlNetCnn.Data.Cifar10;

/// <summary>
/// The download itself failed: the server could not be reached (refused, unknown host, timed out) or answered with an
/// HTTP error. Unlike its base type's other cases (a checksum mismatch, an archive that is not CIFAR-10), trying again
/// later or another mirror may succeed.
/// </summary>
public sealed class Cifar10NetworkException : Cifar10DownloadException
{
    /// <summary>Creates the exception; <paramref name="statusCode"/> is the HTTP status when the server answered.</summary>
    public Cifar10NetworkException(string message, int? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status the server answered with; null when no answer came (connection refused, timeout).</summary>
    public int? StatusCode { get; }
}
