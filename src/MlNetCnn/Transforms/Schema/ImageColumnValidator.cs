using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Model;

namespace MlNetCnn.Transforms.Schema;

/// <summary>
/// Checks that an image feature column fits a network's input (C×H×W floats in planar order) and that a label
/// column is a key with no more values than classes. Used by GetOutputSchema (SchemaShape) and by Fit/Transform
/// (DataViewSchema), so the same words reach the user either way; <see cref="CopyImage"/> checks each row as it is
/// read, for training and scoring alike.
/// </summary>
internal static class ImageColumnValidator
{
    public static void CheckFeatures(SchemaShape schema, string column, ConvNetArchitecture? architecture)
    {
        var shape = Find(schema, column);
        if (shape.Name == null)
            throw Missing(column, $"a vector of Single with {Describe(architecture)}");
        if (shape.Kind == SchemaShape.Column.VectorKind.Scalar || shape.ItemType != NumberDataViewType.Single)
            throw new ColumnSchemaException(column, $"a vector of Single with {Describe(architecture)}", Describe(shape));
        if (shape.Kind == SchemaShape.Column.VectorKind.VariableVector)
            throw new ColumnSchemaException(column, $"a known-size vector of Single with {Describe(architecture)}", "a variable-size vector");
    }

    /// <summary>Validates the column and returns the image shape (C, H, W) it carries, resolved against the architecture.</summary>
    /// <param name="trainerShape">
    /// Null when <paramref name="architecture"/> is a trained model's; when the trainer resolved it, which of the
    /// image-shape options were set (e.g. "ImageChannels = 3"), or "" when none was, so hints name the real fix.
    /// </param>
    public static (int Channels, int Height, int Width) CheckFeatures(DataViewSchema schema, string column, ConvNetArchitecture? architecture, string? trainerShape = null)
    {
        var col = schema.GetColumnOrNull(column)
            ?? throw Missing(column, $"a vector of Single with {Describe(architecture)}");
        if (col.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single)
            throw new ColumnSchemaException(column, $"a vector of Single with {Describe(architecture)}", col.Type.ToString() ?? "an unknown type");
        if (!vector.IsKnownSize)
            throw new ColumnSchemaException(column, $"a known-size vector of Single with {Describe(architecture)}", "a variable-size vector");

        var dims = vector.Dimensions;
        if (architecture == null)
        {
            if (dims.Length != 3)
                throw new ColumnSchemaException(column, "a vector with (channels, height, width) dimensions, as ExtractPixels produces",
                    $"{vector.Size} values with dimensions ({string.Join(", ", dims)})",
                    "Set the image shape in the options when the column carries no dimensions.");
            return (dims[0], dims[1], dims[2]);
        }

        var expected = Describe(architecture);
        var (c, h, w) = ImageColumnShape.Of(col, architecture.PixelLayout);
        if (dims.Length == 3 && (c != architecture.InputChannels || h != architecture.InputHeight || w != architecture.InputWidth))
        {
            var order = architecture.PixelLayout == PixelLayout.Interleaved ? $"{h}×{w}×{c}" : $"{c}×{h}×{w}";
            var what = c != architecture.InputChannels
                ? $"{c} channel{(c == 1 ? "" : "s")} ({order} = {vector.Size} values)"
                : $"{h}×{w} pixels ({order} = {vector.Size} values)";
            var hint = LayoutHint(col, architecture, trainerShape) ?? HintFor(architecture, c!.Value, h!.Value, w!.Value, trainerShape);
            throw new ColumnSchemaException(column, expected, what, hint);
        }
        if (vector.Size != architecture.InputLength)
        {
            var plane = architecture.InputHeight * architecture.InputWidth;
            var hint = trainerShape != null
                ? UndimensionedHint(architecture, vector.Size, trainerShape)
                : vector.Size % plane == 0 ? HintFor(architecture, vector.Size / plane, architecture.InputHeight, architecture.InputWidth, null) : null;
            var actual = vector.Size % plane == 0
                ? $"{vector.Size} values ({vector.Size / plane} channel{(vector.Size / plane == 1 ? "" : "s")} of {architecture.InputHeight}×{architecture.InputWidth})"
                : $"{vector.Size} values";
            throw new ColumnSchemaException(column, expected, actual, hint);
        }
        return (architecture.InputChannels, architecture.InputHeight, architecture.InputWidth);
    }

    /// <summary>
    /// Copies one row's image into <paramref name="destination"/> (one image's length): the row-time check for what a
    /// schema cannot promise, a row of another length or a NaN or infinite value, naming the column and the row.
    /// </summary>
    /// <remarks>Interleaved rows (H×W×C, see <see cref="ConvNetArchitecture.PixelLayout"/>) are reordered to the planar
    /// C×H×W the network computes on, so every reader (training, scoring, feature maps, attribution) sees one layout.</remarks>
    public static void CopyImage(in VBuffer<float> row, Span<float> destination, string column, long position, ConvNetArchitecture input)
    {
        if (row.Length != destination.Length)
            throw new ColumnSchemaException(column, $"{destination.Length} values", $"{row.Length} values at row {position}");
        if (input.PixelLayout == PixelLayout.Interleaved && input.InputChannels > 1)
        {
            var interleaved = System.Buffers.ArrayPool<float>.Shared.Rent(destination.Length);
            try
            {
                row.CopyTo(interleaved);
                Deinterleave(interleaved.AsSpan(0, destination.Length), destination, input.InputChannels);
            }
            finally
            {
                System.Buffers.ArrayPool<float>.Shared.Return(interleaved);
            }
        }
        else
        {
            row.CopyTo(destination); // planar, or one channel: both orders are the same
        }
        InvalidFeatureValueException.ThrowIfNotFinite(destination, column, position);
    }

    /// <summary>H×W×C values (each pixel's channels side by side) to C×H×W (one plane per channel).</summary>
    internal static void Deinterleave(ReadOnlySpan<float> interleaved, Span<float> planar, int channels)
    {
        var pixels = interleaved.Length / channels;
        for (var p = 0; p < pixels; p++)
            for (var c = 0; c < channels; c++)
                planar[c * pixels + p] = interleaved[p * channels + c];
    }

    /// <summary>
    /// The layout hint when the model reads planar values from a column that looks interleaved (or the reverse); null
    /// when the layout is not a likely cause.
    /// </summary>
    internal static string? LayoutHint(DataViewSchema.Column column, ConvNetArchitecture architecture, string? trainerShape)
    {
        var option = trainerShape != null ? "PixelLayout (a trainer option)" : "the model's PixelLayout";
        if (architecture.PixelLayout == PixelLayout.Planar)
        {
            if (!ImageColumnShape.LooksInterleaved(column)) return null;
            return trainerShape != null
                ? ImageColumnShape.InterleavedHint(column.Name)
                : $"Column '{column.Name}' looks like interleaved pixels (height, width, channels), as ExtractPixels(interleavePixelColors: true) writes, " +
                  "but this model was trained on planar pixels (channels, height, width): extract them with interleavePixelColors: false.";
        }
        var (c, h, w) = ImageColumnShape.Of(column, PixelLayout.Planar);
        return c == architecture.InputChannels && h == architecture.InputHeight && w == architecture.InputWidth
            ? $"Column '{column.Name}' holds planar pixels (channels, height, width) of the right size, but {option} is Interleaved: " +
              "extract them with interleavePixelColors: true" + (trainerShape != null ? ", or leave PixelLayout at Planar." : ".")
            : null;
    }

    public static void CheckLabel(SchemaShape schema, string column)
    {
        var shape = Find(schema, column);
        if (shape.Name == null)
            throw Missing(column, "a key-typed label (use MapValueToKey)");
        if (!shape.IsKey || shape.Kind != SchemaShape.Column.VectorKind.Scalar)
            throw new ColumnSchemaException(column, "a key-typed label (use MapValueToKey)", Describe(shape));
    }

    /// <summary>Validates the label and returns its key count.</summary>
    public static int CheckLabel(DataViewSchema schema, string column, int? classCount)
    {
        var col = schema.GetColumnOrNull(column) ?? throw Missing(column, "a key-typed label (use MapValueToKey)");
        if (col.Type is not KeyDataViewType key)
            throw new ColumnSchemaException(column, "a key-typed label (use MapValueToKey)", col.Type.ToString() ?? "an unknown type");
        if (key.Count > int.MaxValue || key.Count < 2)
            throw new ColumnSchemaException(column, "a key type with at least 2 values", $"{key.Count} values");
        if (classCount is { } classes && (int)key.Count > classes)
            throw new ColumnSchemaException(column, $"at most {classes} label values (the model's class count)", $"{key.Count} label values");
        return (int)key.Count;
    }

    private static SchemaShape.Column Find(SchemaShape schema, string column) =>
        schema.LastOrDefault(c => c.Name == column);

    private static ColumnSchemaException Missing(string column, string expected) =>
        new(column, expected, "no such column");

    private static string Describe(ConvNetArchitecture? a) => a == null
        ? "C×H×W planar values"
        : a.PixelLayout == PixelLayout.Interleaved
            ? $"{a.InputChannels} channel{(a.InputChannels == 1 ? "" : "s")} of {a.InputHeight}×{a.InputWidth} interleaved ({a.InputHeight}×{a.InputWidth}×{a.InputChannels} = {a.InputLength} values)"
            : $"{a.InputChannels} channel{(a.InputChannels == 1 ? "" : "s")} of {a.InputHeight}×{a.InputWidth} ({a.InputChannels}×{a.InputHeight}×{a.InputWidth} = {a.InputLength} values)";

    private static string Describe(SchemaShape.Column c) =>
        c.Kind == SchemaShape.Column.VectorKind.Scalar ? $"a scalar {c.ItemType}{(c.IsKey ? " key" : "")}" : $"a vector of {c.ItemType}";

    private static string Channels(int count) => count == 1 ? "1-channel (grey)" : count == 3 ? "3-channel (colour)" : $"{count}-channel";

    /// <summary>What to do when a column of C×H×W does not fit: a trainer option to drop or change, or what a trained model needs.</summary>
    private static string? HintFor(ConvNetArchitecture a, int channels, int height, int width, string? trainerShape)
    {
        if (trainerShape != null)
        {
            return trainerShape.Length == 0
                ? null
                : $"The trainer options set {trainerShape}, but the column holds {Channels(channels)} {height}×{width} images: leave ImageChannels, ImageHeight and ImageWidth " +
                  "unset (each is read from the column's dimensions) or set them to match.";
        }
        if (channels != a.InputChannels)
        {
            var feed = a.InputChannels == 3
                ? "give it colour pixels (ExtractPixels with colorsToExtract Rgb, without ConvertToGrayscale)"
                : a.InputChannels == 1
                    ? "give it grey pixels (ConvertToGrayscale, then ExtractPixels with colorsToExtract Red)"
                    : $"give it {a.InputChannels} channels";
            return $"This model was trained on {Channels(a.InputChannels)} images: {feed}, or train a {Channels(channels)} model on this column " +
                   "(the trainer reads ImageChannels from the column's dimensions).";
        }
        return $"This model was trained on {a.InputHeight}×{a.InputWidth} images: resize to that (ResizeImages with width {a.InputWidth}, height {a.InputHeight}), " +
               "or train a model on this size (the trainer reads ImageHeight and ImageWidth from the column's dimensions).";
    }

    /// <summary>A trainer column without (C, H, W) dimensions whose length does not fit the assumed shape.</summary>
    private static string UndimensionedHint(ConvNetArchitecture a, int size, string trainerShape) =>
        $"The column carries no (channels, height, width) dimensions, so the trainer used " +
        (trainerShape.Length == 0 ? $"the default {a.InputChannels}×{a.InputHeight}×{a.InputWidth}" : $"{trainerShape} and defaults for the rest") +
        (size % (a.InputHeight * a.InputWidth) == 0 && size / (a.InputHeight * a.InputWidth) is var c && c != a.InputChannels
            ? $": set ImageChannels = {c} in the options"
            : ": set ImageChannels, ImageHeight and ImageWidth in the options") +
        ", or produce the column with ExtractPixels, which records the dimensions.";
}
