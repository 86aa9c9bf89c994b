using Microsoft.ML;
using MlNetCnn.Model;
using MlNetCnn.Training;

namespace MlNetCnn.Transforms.TrainingData;

/// <summary>
/// Reads an IDataView's feature and label columns into an <see cref="InMemoryImageSet"/> with one cursor pass,
/// checked row by row (<see cref="LabeledImageCursor"/>). 8-bit images are kept as bytes (see <see cref="InMemoryImageSet"/>).
/// </summary>
internal static class ImageSetReader
{
    /// <remarks>Reading a large folder of image files takes long: <paramref name="cancellation"/> is checked every row, so
    /// Ctrl+C or SIGTERM stops this phase at once, as it stops training.</remarks>
    public static InMemoryImageSet Read(IDataView data, string featureColumn, string labelColumn, ConvNetArchitecture architecture, out long skippedRows,
        CancellationToken cancellation = default)
    {
        var images = new ImageSetBuilder(architecture.InputChannels, architecture.InputHeight, architecture.InputWidth, data.GetRowCount());
        using var rows = new LabeledImageCursor(data, featureColumn, labelColumn, architecture);
        var image = new float[rows.Length];
        while (rows.Next(image, out var label))
        {
            cancellation.ThrowIfCancellationRequested();
            images.Add(image, label);
        }
        skippedRows = rows.SkippedRows;
        return images.Build();
    }
}
