namespace MlNetCnn.Data.Cifar10;

/// <summary>Downloading or unpacking the CIFAR-10 archive failed; nothing was left in the target directory.</summary>
public class Cifar10DownloadException : Exception
{
    /// <summary>Creates the exception with its message and optional cause.</summary>
    public Cifar10DownloadException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
