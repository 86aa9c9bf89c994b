namespace MlNetCnn.Data;

/// <summary>Downloading or unpacking the CIFAR-10 archive failed; nothing was left in the target directory.</summary>
public class Cifar10DownloadException : Exception
{
    public Cifar10DownloadException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
