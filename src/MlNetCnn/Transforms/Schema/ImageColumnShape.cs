using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Model;

namespace MlNetCnn.Transforms.Schema;

/// <summary>
/// The image shape a feature column records: a float vector with (C, H, W) dimensions, as ExtractPixels and the
/// data views of this library make, or (H, W, C) when the pixels are interleaved. The trainer and the experiments
/// read it the same way.
/// </summary>
internal static class ImageColumnShape
{
    /// <summary>The column's (C, H, W) when it is a 3-D vector, its dimensions read in <paramref name="layout"/>'s order; nulls otherwise (missing column, 1-D or unknown size).</summary>
    public static (int? Channels, int? Height, int? Width) Of(DataViewSchema.Column? column, PixelLayout layout = PixelLayout.Planar) =>
        column?.Type is VectorDataViewType { Dimensions.Length: 3 } vector
            ? layout == PixelLayout.Interleaved
                ? (vector.Dimensions[2], vector.Dimensions[0], vector.Dimensions[1])
                : (vector.Dimensions[0], vector.Dimensions[1], vector.Dimensions[2])
            : (null, null, null);

    /// <summary>
    /// Whether dimensions read as planar (C, H, W) look like interleaved (H, W, C) ones: a last dimension of 1, 3 or 4
    /// (grey, RGB, RGBA) after a first one that is no colour count. Only for hints: such a column could be planar.
    /// </summary>
    public static bool LooksInterleaved(DataViewSchema.Column? column) =>
        column?.Type is VectorDataViewType { Dimensions: [var first, _, var last] } && last is 1 or 3 or 4 && first is not (1 or 3 or 4);

    /// <summary>The sentence every shape error adds when a planar read meets a column that looks interleaved.</summary>
    public static string InterleavedHint(string column) =>
        $"Column '{column}' looks like interleaved pixels (height, width, channels), as ExtractPixels(interleavePixelColors: true) writes, " +
        "but it is read as planar (channels, height, width): set PixelLayout = PixelLayout.Interleaved in the trainer options, or extract the pixels with interleavePixelColors: false.";

    /// <summary>
    /// <paramref name="template"/> with each of C, H, W taken from its override when set, else from the column's
    /// dimensions, else kept from the template.
    /// </summary>
    public static ConvNetArchitecture Apply(ConvNetArchitecture template, DataViewSchema.Column? column,
        int? channels = null, int? height = null, int? width = null)
    {
        var (fromColumnC, fromColumnH, fromColumnW) = Of(column, template.PixelLayout);
        return template with
        {
            InputChannels = channels ?? fromColumnC ?? template.InputChannels,
            InputHeight = height ?? fromColumnH ?? template.InputHeight,
            InputWidth = width ?? fromColumnW ?? template.InputWidth,
        };
    }
}
