using MlNetCnn.Data.Cifar10;

// In ML.NET's namespace, as its extension packages put their catalog verbs: `using Microsoft.ML;` finds them all.
namespace Microsoft.ML;

/// <summary>ML.NET catalog entry point for the CIFAR-10 binary reader.</summary>
public static class Cifar10DataCatalog
{
    /// <summary>
    /// Streams the official CIFAR-10 binary files of <paramref name="split"/> found in <paramref name="directory"/>
    /// (the <c>cifar-10-batches-bin</c> folder). Each file is validated on open.
    /// </summary>
    /// <param name="catalog">The <c>mlContext.Data</c> catalog.</param>
    /// <param name="directory">Directory holding <c>data_batch_*.bin</c>, <c>test_batch.bin</c> and <c>batches.meta.txt</c>.</param>
    /// <param name="split">Which files to read.</param>
    /// <param name="maxRows">Read at most this many records (in file order); <c>null</c> reads them all.</param>
    /// <returns>A view with columns <c>Label</c> (key, class names as key values), <c>Features</c> (3×32×32 floats in [0,1]) and <c>Index</c>.</returns>
    /// <exception cref="FileNotFoundException">A batch file or <c>batches.meta.txt</c> is missing.</exception>
    /// <exception cref="InvalidDataException">A file is truncated or corrupt; the message names the file and byte offset.</exception>
    public static Cifar10DataView LoadFromCifar10(this DataOperationsCatalog catalog, string directory, Cifar10Split split, int? maxRows = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        // Checked here so a missing folder is reported as such rather than as its first missing file.
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"CIFAR-10 directory '{directory}' not found; expected the official '{Cifar10Downloader.DirectoryName}' files in it. " +
                                                 $"To get them (about 170 MB): `mlnetcnn download` (the tool) puts them in data/{Cifar10Downloader.DirectoryName}, " +
                                                 $"or from code `await new Cifar10Downloader().DownloadAsync(\"data\")`, which returns the folder to load.");
        return new Cifar10DataView(directory, split, maxRows);
    }
}
