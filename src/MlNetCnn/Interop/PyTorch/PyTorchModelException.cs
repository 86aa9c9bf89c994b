namespace MlNetCnn.Interop.PyTorch;

/// <summary>
/// A PyTorch <c>state_dict</c> file cannot be used as a SimpleCNN: it is not a <c>torch.save</c> zip file, holds a whole
/// pickled model instead of a state_dict, lacks a key, has a key this network does not have, or a tensor whose shape
/// or type does not fit. The message names the file and, when one is at fault, the key with the expected and actual
/// shapes (<see cref="Key"/>, <see cref="ExpectedShape"/>, <see cref="ActualShape"/>). It is an <see cref="IOException"/>,
/// like <see cref="Persistence.ModelFileException"/>.
/// </summary>
public sealed class PyTorchModelException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>; the key and shapes say which tensor did not fit, when one did not.</summary>
    public PyTorchModelException(string filePath, string problem, string? key = null, string? expectedShape = null, string? actualShape = null, Exception? innerException = null)
        : base($"Cannot use PyTorch state_dict '{filePath}': {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
        Key = key;
        ExpectedShape = expectedShape;
        ActualShape = actualShape;
    }

    /// <summary>The PyTorch file read or written.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }

    /// <summary>The state_dict key at fault (e.g. <c>fc1.weight</c>), when one is.</summary>
    public string? Key { get; }

    /// <summary>The shape this network needs for <see cref="Key"/>, e.g. "[120, 768]".</summary>
    public string? ExpectedShape { get; }

    /// <summary>The shape the file holds for <see cref="Key"/>, or null when the key is missing.</summary>
    public string? ActualShape { get; }

    /// <summary>
    /// True when the problem is the input image size: <c>fc1.weight</c>'s inputs do not fit the size given, or no
    /// square size fits them. Only then is "give the image height and width" the advice; a missing key, a wrong rank or
    /// a wrong value type is something else.
    /// </summary>
    public bool IsInputSizeMismatch { get; internal init; }
}
