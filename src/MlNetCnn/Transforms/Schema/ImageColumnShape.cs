using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Model;

namespace MlNetCnn.Transforms.Schema;

/// <summary>
/// The image shape a feature column records: a float vector with (C, H, W) dimensions, as ExtractPixels and the
/// data views of this library make. The trainer and the experiments read it the same way.
/// </summary>
internal static class ImageColumnShape
{
    /// <summary>The column's (C, H, W) when it is a 3-D vector; nulls otherwise (missing column, 1-D or unknown size).</summary>
    public static (int? Channels, int? Height, int? Width) Of(DataViewSchema.Column? column) =>
        column?.Type is VectorDataViewType { Dimensions.Length: 3 } vector
            ? (vector.Dimensions[0], vector.Dimensions[1], vector.Dimensions[2])
            : (null, null, null);

    /// <summary>
    /// <paramref name="template"/> with each of C, H, W taken from its override when set, else from the column's
    /// dimensions, else kept from the template.
    /// </summary>
    public static ConvNetArchitecture Apply(ConvNetArchitecture template, DataViewSchema.Column? column,
        int? channels = null, int? height = null, int? width = null)
    {
        var (fromColumnC, fromColumnH, fromColumnW) = Of(column);
        return template with
        {
            InputChannels = channels ?? fromColumnC ?? template.InputChannels,
            InputHeight = height ?? fromColumnH ?? template.InputHeight,
            InputWidth = width ?? fromColumnW ?? template.InputWidth,
        };
    }
}
