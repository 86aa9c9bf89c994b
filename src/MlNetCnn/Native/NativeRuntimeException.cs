namespace MlNetCnn.Native;

/// <summary>libtorch could not be loaded or configured the way MlNetCnn needs; the message says why and what to do.</summary>
public sealed class NativeRuntimeException : InvalidOperationException
{
    /// <summary>Creates the exception with its explanation and the native error behind it.</summary>
    public NativeRuntimeException(string message, Exception? innerException = null) : base(message, innerException)
    {
    }
}
