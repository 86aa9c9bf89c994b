namespace MlNetCnn.Data.Cifar10;

/// <summary>What <see cref="Cifar10ImageExporter"/> wrote.</summary>
public sealed class Cifar10ExportResult
{
    internal Cifar10ExportResult(string indexPath, int imageCount, IReadOnlyDictionary<string, int> countsPerClass)
    {
        IndexPath = indexPath;
        ImageCount = imageCount;
        CountsPerClass = countsPerClass;
    }

    /// <summary>Full path of the TSV index (<c>ImagePath\tLabel</c>, paths relative to its directory).</summary>
    public string IndexPath { get; }

    /// <summary>Number of PNG files written (= data rows in the index).</summary>
    public int ImageCount { get; }

    /// <summary>Images written per class name.</summary>
    public IReadOnlyDictionary<string, int> CountsPerClass { get; }
}
