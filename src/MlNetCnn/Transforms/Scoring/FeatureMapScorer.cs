using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Model;

namespace MlNetCnn.Transforms.Scoring;

/// <summary>
/// Computes conv feature maps with a <see cref="TrainedCnn"/>: one C×H×W float vector column per requested layer.
/// Only the layers whose columns a cursor asks for are copied out of the forward pass.
/// </summary>
internal sealed class FeatureMapScorer : IBatchScorer
{
    private readonly TrainedCnn model;

    public TrainedCnn Model => model;
    private readonly IReadOnlyList<ConvLayerShape> layers;
    private readonly bool preActivation;

    public FeatureMapScorer(TrainedCnn model, string inputColumnName, IReadOnlyList<ConvLayerShape> layers,
        IReadOnlyList<string> outputColumnNames, bool preActivation, int batchSize)
    {
        this.model = model;
        this.layers = layers;
        this.preActivation = preActivation;
        InputColumnName = inputColumnName;
        BatchSize = batchSize;
        OutputColumns = BuildSchema(layers, outputColumnNames);
        OutputLengths = layers.Select(l => l.MapLength).ToArray();
    }

    public string InputColumnName { get; }

    public int InputLength => model.Architecture.InputLength;

    public ConvNetArchitecture Input => model.Architecture;

    public int BatchSize { get; }

    public DataViewSchema OutputColumns { get; }

    public IReadOnlyList<int> OutputLengths { get; }

    /// <summary>The type of a layer's column: Single values with the map's (channels, height, width) as dimensions.</summary>
    public static VectorDataViewType ColumnType(ConvLayerShape layer) =>
        new(NumberDataViewType.Single, layer.OutChannels, layer.OutHeight, layer.OutWidth);

    public static DataViewSchema BuildSchema(IReadOnlyList<ConvLayerShape> layers, IReadOnlyList<string> outputColumnNames)
    {
        var builder = new DataViewSchema.Builder();
        for (var i = 0; i < layers.Count; i++)
            builder.AddColumn(outputColumnNames[i], ColumnType(layers[i]));
        return builder.ToSchema();
    }

    public void Score(float[] inputs, int count, bool[] active, float[][] outputs)
    {
        var requested = new List<int>();
        var buffers = new List<float[]>();
        for (var c = 0; c < layers.Count; c++)
        {
            if (!active[c]) continue;
            requested.Add(layers[c].Index);
            buffers.Add(outputs[c]);
        }
        if (requested.Count == 0) return;
        model.Infer(inputs, count, probabilities: null, requested, buffers.ToArray(), preActivation);
    }
}
