namespace MlNetCnn.Data.Cifar10;

/// <summary>What <see cref="Cifar10ImageExporter"/> wrote.</summary>
/// <param name="IndexPath">Full path of the TSV index (<c>ImagePath\tLabel</c>, paths relative to its directory).</param>
/// <param name="ImageCount">Number of PNG files written (= data rows in the index).</param>
/// <param name="CountsPerClass">Images written per class name.</param>
public sealed record Cifar10ExportResult(string IndexPath, int ImageCount, IReadOnlyDictionary<string, int> CountsPerClass);
