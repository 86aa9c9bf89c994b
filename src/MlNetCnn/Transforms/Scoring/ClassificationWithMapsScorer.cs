using Microsoft.ML;
using MlNetCnn.Model;

namespace MlNetCnn.Transforms.Scoring;

/// <summary>
/// The classifier's <c>Score</c> and <c>PredictedLabel</c> columns and conv feature-map columns from one forward pass
/// per batch: what the report's scan of the test split reads (a <see cref="ClassificationScorer"/> view under a
/// <see cref="FeatureMapScorer"/> view would run the network twice per image). Only the columns a cursor asks for are
/// filled.
/// </summary>
internal sealed class ClassificationWithMapsScorer : IBatchScorer
{
    private readonly IReadOnlyList<ConvLayerShape> layers;

    public ClassificationWithMapsScorer(TrainedCnn model, string featureColumn, string scoreColumn, string predictedLabelColumn,
        IReadOnlyList<ConvLayerShape> layers, int batchSize)
    {
        Model = model;
        this.layers = layers;
        InputColumnName = featureColumn;
        BatchSize = batchSize;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(ClassificationScorer.DescribeColumns(scoreColumn, predictedLabelColumn, model.ClassNames));
        builder.AddColumns(FeatureMapScorer.BuildSchema(layers, [.. layers.Select(l => l.Name)]));
        OutputColumns = builder.ToSchema();
        OutputLengths = [model.Architecture.ClassCount, 1, .. layers.Select(l => l.MapLength)];
    }

    public TrainedCnn Model { get; }

    public string InputColumnName { get; }

    public int InputLength => Model.Architecture.InputLength;

    public ConvNetArchitecture Input => Model.Architecture;

    public int BatchSize { get; }

    public DataViewSchema OutputColumns { get; }

    public IReadOnlyList<int> OutputLengths { get; }

    public void Score(float[] inputs, int count, bool[] active, float[][] outputs)
    {
        var classes = Model.Architecture.ClassCount;
        var probabilities = active[0] ? outputs[0] : active[1] ? new float[count * classes] : null;
        var requested = new List<int>();
        var buffers = new List<float[]>();
        for (var c = 0; c < layers.Count; c++)
        {
            if (!active[2 + c]) continue;
            requested.Add(layers[c].Index);
            buffers.Add(outputs[2 + c]);
        }
        Model.Infer(inputs, count, probabilities, requested, [.. buffers]);
        if (!active[1]) return;
        for (var r = 0; r < count; r++)
            outputs[1][r] = TrainedCnn.MostProbable(probabilities.AsSpan(r * classes, classes)) + 1; // keys are 1-based; 0 means missing
    }
}
