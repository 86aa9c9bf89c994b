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
        if (dims.Length == 3 && (dims[0] != architecture.InputChannels || dims[1] != architecture.InputHeight || dims[2] != architecture.InputWidth))
        {
            var what = dims[0] != architecture.InputChannels
                ? $"{dims[0]} channel{(dims[0] == 1 ? "" : "s")} ({dims[0]}×{dims[1]}×{dims[2]} = {vector.Size} values)"
                : $"{dims[1]}×{dims[2]} pixels ({dims[0]}×{dims[1]}×{dims[2]} = {vector.Size} values)";
            throw new ColumnSchemaException(column, expected, what, HintFor(architecture, dims[0], dims[1], dims[2], trainerShape));
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
    public static void CopyImage(in VBuffer<float> row, Span<float> destination, string column, long position)
    {
        if (row.Length != destination.Length)
            throw new ColumnSchemaException(column, $"{destination.Length} values", $"{row.Length} values at row {position}");
        row.CopyTo(destination);
        InvalidFeatureValueException.ThrowIfNotFinite(destination, column, position);
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
