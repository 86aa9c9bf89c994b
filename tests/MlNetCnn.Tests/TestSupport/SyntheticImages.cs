using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetCnn.Tests.TestSupport;

/// <summary>Small in-memory image data views with any feature shape and label type, for schema and error tests.</summary>
public static class SyntheticImages
{
    public sealed class Row
    {
        public float[] Features { get; set; } = Array.Empty<float>();
        public string Label { get; set; } = "";
    }

    /// <summary>
    /// Rows whose label (text) is "class{i % classes}" and whose features have the given (C, H, W) dimensions,
    /// values in [0,1] (each class a different brightness pattern so a model can learn it).
    /// </summary>
    public static IDataView Create(MLContext ml, int rows, int classes, int channels = 3, int height = 32, int width = 32,
        Func<int, int, float>? value = null, bool withDimensions = true)
    {
        var length = channels * height * width;
        var random = new Random(7);
        var data = Enumerable.Range(0, rows).Select(r => new Row
        {
            Label = $"class{r % classes}",
            Features = Enumerable.Range(0, length).Select(i => value?.Invoke(r, i) ?? Pattern(r % classes, i, width, random)).ToArray(),
        }).ToList();
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = withDimensions
            ? new VectorDataViewType(NumberDataViewType.Single, channels, height, width)
            : new VectorDataViewType(NumberDataViewType.Single, length);
        return ml.Data.LoadFromEnumerable(data, schema);
    }

    /// <summary>Label as a key (MapValueToKey), ready for the trainer.</summary>
    public static IDataView CreateKeyed(MLContext ml, int rows, int classes, int channels = 3, int height = 32, int width = 32,
        Func<int, int, float>? value = null, bool withDimensions = true)
    {
        var data = Create(ml, rows, classes, channels, height, width, value, withDimensions);
        return ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
    }

    // Class k lights up horizontal stripes with period k+2, plus noise: learnable, not trivially constant.
    private static float Pattern(int label, int index, int width, Random random)
    {
        var row = index / width % width;
        var stripe = row % (label + 2) == 0 ? 0.8f : 0.2f;
        return Math.Clamp(stripe + (float)(random.NextDouble() - 0.5) * 0.1f, 0f, 1f);
    }
}
