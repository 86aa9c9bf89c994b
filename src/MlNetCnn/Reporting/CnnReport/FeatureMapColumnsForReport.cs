using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Model;

namespace MlNetCnn.Reporting.CnnReport;

/// <summary>
/// STAND-IN until <c>mlContext.Transforms.ExtractFeatureMaps(...)</c> lands: appends one column per conv layer,
/// named <c>conv1</c>, <c>conv2</c>, … of type <c>VectorDataViewType(Single, C, H, W)</c> holding the post-ReLU maps
/// before pooling (exactly <see cref="TrainedCnn.Infer"/>'s output), keeping every input column. It is a plain
/// ML.NET CustomMapping, one image per call: fine for a report's test set, not a general transform. Replace the
/// body of <see cref="Append"/> with
/// <c>ml.Transforms.ExtractFeatureMaps(model, featureColumnName, [.. layers]).Fit(input).Transform(input)</c>.
/// </summary>
internal static class FeatureMapColumnsForReport
{
    /// <summary>Conv layers this stand-in can add (one output field each).</summary>
    internal const int MaxLayers = 8;

    public static IDataView Append(MLContext ml, TrainedCnn model, IDataView input, string featureColumnName, IReadOnlyList<string> layers)
    {
        if (layers.Count > MaxLayers)
            throw new NotSupportedException($"The report's stand-in feature-map columns support at most {MaxLayers} conv layers; {layers.Count} requested.");
        var featureColumn = input.Schema.GetColumnOrNull(featureColumnName)
            ?? throw new ArgumentException($"The data has no column '{featureColumnName}'.", nameof(featureColumnName));
        var shapes = layers.Select(model.GetLayer).ToArray();
        var indices = shapes.Select(s => s.Index).ToArray();

        var inputDefinition = SchemaDefinition.Create(typeof(ImageRow), SchemaDefinition.Direction.Read);
        inputDefinition[0].ColumnName = featureColumnName;
        inputDefinition[0].ColumnType = featureColumn.Type;

        var outputDefinition = SchemaDefinition.Create(typeof(MapsRow), SchemaDefinition.Direction.Write);
        outputDefinition.RemoveAll(c => int.Parse(c.MemberName.AsSpan(3), System.Globalization.CultureInfo.InvariantCulture) >= shapes.Length);
        foreach (var column in outputDefinition)
        {
            var shape = shapes[int.Parse(column.MemberName.AsSpan(3), System.Globalization.CultureInfo.InvariantCulture)];
            column.ColumnName = shape.Name;
            column.ColumnType = new VectorDataViewType(NumberDataViewType.Single, shape.OutChannels, shape.OutHeight, shape.OutWidth);
        }

        void Map(ImageRow source, MapsRow destination)
        {
            var outputs = shapes.Select(s => new float[s.MapLength]).ToArray();
            model.Infer(source.Image, 1, null, indices, outputs);
            for (var i = 0; i < outputs.Length; i++)
                destination.Set(i, outputs[i]);
        }

        return ml.Transforms.CustomMapping<ImageRow, MapsRow>(Map, contractName: null, inputDefinition, outputDefinition)
            .Fit(input)
            .Transform(input);
    }

    private sealed class ImageRow
    {
        public float[] Image = [];
    }

    // One field per possible layer; unused ones are removed from the schema definition.
    private sealed class MapsRow
    {
        public float[] Map0 = [], Map1 = [], Map2 = [], Map3 = [], Map4 = [], Map5 = [], Map6 = [], Map7 = [];

        public void Set(int i, float[] map)
        {
            switch (i)
            {
                case 0: Map0 = map; break;
                case 1: Map1 = map; break;
                case 2: Map2 = map; break;
                case 3: Map3 = map; break;
                case 4: Map4 = map; break;
                case 5: Map5 = map; break;
                case 6: Map6 = map; break;
                default: Map7 = map; break;
            }
        }
    }
}
