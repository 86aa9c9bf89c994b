using Microsoft.ML;
using MlNetCnn.Data.Cifar10;

namespace MlNetCnn.Tests.TestSupport;

/// <summary>Real CIFAR images as non-square grey ones, for tests of grey, non-square models.</summary>
public static class GreyCifarCrops
{
    public const int Height = 24;
    public const int Width = 32;

    /// <summary>Each CIFAR image as one grey plane (channel mean), rows 4–27 only: 1×24×32, the label kept as a key.</summary>
    public static IDataView Create(MLContext ml, Cifar10DataView data)
    {
        var pixels = DataViewColumns.ReadFloats(data, "Features");
        var labels = DataViewColumns.ReadKeys(data, "Label");
        var rows = pixels.Select((p, r) => new SyntheticImages.Row
        {
            Features = Enumerable.Range(0, Height * Width).Select(i =>
            {
                var (y, x) = (4 + i / Width, i % Width);
                return (p[y * 32 + x] + p[1024 + y * 32 + x] + p[2048 + y * 32 + x]) / 3f;
            }).ToArray(),
            Label = data.ClassNames[(int)labels[r] - 1],
        }).ToList();
        var schema = Microsoft.ML.Data.SchemaDefinition.Create(typeof(SyntheticImages.Row));
        schema[nameof(SyntheticImages.Row.Features)].ColumnType = new Microsoft.ML.Data.VectorDataViewType(Microsoft.ML.Data.NumberDataViewType.Single, 1, Height, Width);
        var view = ml.Data.LoadFromEnumerable(rows, schema);
        return ml.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view);
    }
}
