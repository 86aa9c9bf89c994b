namespace MlNetCnn.IO;

/// <summary>
/// An output path the pre-check accepted (<see cref="OutputFile.Check"/>): where to write and whether an existing file
/// may be replaced. The save verbs an app calls at the end of a long job (a classifier's model file, ONNX and PyTorch
/// exports, the report pages, the feature-picture grid) take one beside their path overload, so an app that checked its
/// outputs before the job hands the answer on instead of having it asked again. The write itself still never
/// replaces what appeared meanwhile unless overwriting was asked for when it was checked, nor anything but a regular file.
/// </summary>
public sealed class OutputTarget
{
    internal OutputTarget(string fullPath, bool overwrite) => (FullPath, Overwrite) = (fullPath, overwrite);

    /// <summary>The checked path, made full.</summary>
    public string FullPath { get; }

    /// <summary>Whether the write may replace a file already there (as asked when it was checked).</summary>
    internal bool Overwrite { get; }
}
