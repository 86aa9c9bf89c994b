using Microsoft.ML;
using MlNetCnn.Data;
using MlNetCnn.Data.ImageFolder;

namespace MlNetCnn.Cli.Inputs;

/// <summary>
/// Where the data is and which of the library's two formats it holds (<see cref="DataFolderKind"/>), as
/// <see cref="DataLocator"/> found it; nothing is read yet. <see cref="Dataset.Open"/> reads it. The CLI's data words:
/// a locator finds a location, a dataset is a location opened.
/// </summary>
/// <param name="Cancellation">Stops the scan of an image folder when it is opened (Ctrl+C, SIGTERM).</param>
public sealed record DataLocation(DataFolderKind Kind, string Directory, CancellationToken Cancellation = default)
{
    /// <summary>
    /// The size the data's images are read at: CIFAR-10's 32×32, or an image folder's most common training size (null
    /// when it has none). What a PyTorch state_dict, which records no input size, is taken to expect.
    /// </summary>
    public (int Height, int Width)? ImageSize(MLContext ml)
    {
        if (Kind == DataFolderKind.Cifar10) return (32, 32);
        var (train, _) = ml.Data.LoadFromImageFolderSplits(Directory, new ImageFolderOptions());
        return train.ImageSizes.Count > 0 ? (train.ImageSizes[0].Height, train.ImageSizes[0].Width) : null;
    }
}
