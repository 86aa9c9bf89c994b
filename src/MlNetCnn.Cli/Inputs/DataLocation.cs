using Microsoft.ML;
using MlNetCnn.Data;
using MlNetCnn.Data.ImageFolder;

namespace MlNetCnn.Cli.Inputs;

/// <summary>
/// Where the data is and which of the library's two formats it holds (<see cref="DataFolderKind"/>), as
/// <see cref="DataLocator"/> found it; nothing is read yet. <see cref="Dataset.Open"/> reads it. The CLI's data words:
/// a locator finds a location, a dataset is a location opened.
/// </summary>
public sealed record DataLocation(DataFolderKind Kind, string Directory)
{
    /// <summary>
    /// The size the data's images are read at: CIFAR-10's 32×32, or an image folder's most common training size (null
    /// when it has none). What a PyTorch state_dict, which records no input size, is taken to expect.
    /// </summary>
    /// <param name="cancel">Stops the scan of an image folder (Ctrl+C, SIGTERM).</param>
    public (int Height, int Width)? ImageSize(MLContext ml, CancellationToken cancel)
    {
        if (Kind == DataFolderKind.Cifar10) return (32, 32);
        var (train, _) = ml.Data.LoadFromImageFolderSplits(Directory, new ImageFolderOptions(), cancel);
        return train.ImageSizes.Count > 0 ? (train.ImageSizes[0].Height, train.ImageSizes[0].Width) : null;
    }
}
