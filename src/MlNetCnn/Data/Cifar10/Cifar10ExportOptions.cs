namespace MlNetCnn.Data.Cifar10;

/// <summary>Options for <see cref="Cifar10ImageExporter"/>.</summary>
public sealed class Cifar10ExportOptions
{
    /// <summary>Name of the TSV index written in the output directory.</summary>
    public const string DefaultIndexFileName = "index.tsv";

    /// <summary>Export at most this many images in total; <c>null</c> for no limit.</summary>
    public int? MaxCount { get; init; }

    /// <summary>Export at most this many images of each class; <c>null</c> for no limit.</summary>
    public int? MaxPerClass { get; init; }

    /// <summary>File name (not path) of the TSV index, written in the output directory.</summary>
    public string IndexFileName { get; init; } = DefaultIndexFileName;

    internal void Validate()
    {
        if (MaxCount is < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxCount), MaxCount, "MaxCount must be >= 0.");
        if (MaxPerClass is < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxPerClass), MaxPerClass, "MaxPerClass must be >= 0.");
        if (string.IsNullOrWhiteSpace(IndexFileName) || IndexFileName != Path.GetFileName(IndexFileName))
            throw new ArgumentException($"IndexFileName '{IndexFileName}' must be a plain file name.", nameof(IndexFileName));
    }
}
