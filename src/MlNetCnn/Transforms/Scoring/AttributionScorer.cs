using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Attribution;
using MlNetCnn.Model;

namespace MlNetCnn.Transforms.Scoring;

/// <summary>
/// Computes one attribution column with an <see cref="IAttributionMethod"/>: per row, the method's map for the
/// predicted class, the label or a fixed class, as a vector with [H,W] or [C,H,W] dimensions.
/// </summary>
internal sealed class AttributionScorer : IBatchScorer
{
    private readonly TrainedCnn model;

    public TrainedCnn Model => model;
    private readonly IAttributionMethod method;
    private readonly AttributionTarget target;
    private AttributionModel? attributionModel;
    private readonly int classIndex;

    public AttributionScorer(TrainedCnn model, IAttributionMethod method, string inputColumnName, string outputColumnName,
        AttributionTarget target, string labelColumnName, int classIndex, int batchSize)
    {
        this.model = model;
        this.method = method;
        this.target = target;
        this.classIndex = classIndex;
        InputColumnName = inputColumnName;
        KeyColumnName = target == AttributionTarget.Label ? labelColumnName : null;
        BatchSize = batchSize;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(outputColumnName, ColumnType(model.Architecture, method));
        OutputColumns = builder.ToSchema();
        OutputLengths = new[] { ((VectorDataViewType)OutputColumns[0].Type).Size };
    }

    /// <summary>Single values with the map's dimensions: (height, width), or (channels, height, width) for methods that keep channels.</summary>
    public static VectorDataViewType ColumnType(ConvNetArchitecture a, IAttributionMethod method) => method.KeepsChannels
        ? new VectorDataViewType(NumberDataViewType.Single, a.InputChannels, a.InputHeight, a.InputWidth)
        : new VectorDataViewType(NumberDataViewType.Single, a.InputHeight, a.InputWidth);

    public string InputColumnName { get; }

    public string? KeyColumnName { get; }

    public int InputLength => model.Architecture.InputLength;

    public ConvNetArchitecture Input => model.Architecture;

    public int BatchSize { get; }

    public DataViewSchema OutputColumns { get; }

    public IReadOnlyList<int> OutputLengths { get; }

    public void Score(float[] inputs, int count, bool[] active, float[][] outputs)
    {
        if (target == AttributionTarget.Label)
            throw new InvalidOperationException($"Explaining the label needs the key column '{KeyColumnName}' read beside the features.");
        if (!active[0]) return;
        var targets = target == AttributionTarget.FixedClass ? Enumerable.Repeat(classIndex, count).ToArray() : Predicted(inputs, count);
        Write(inputs, targets, outputs[0]);
    }

    public void Score(float[] inputs, uint[] keys, int count, bool[] active, float[][] outputs)
    {
        if (!active[0]) return;
        var classes = model.Architecture.ClassCount;
        var targets = new int[count];
        for (var i = 0; i < count; i++)
        {
            if (keys[i] == 0 || keys[i] > classes)
                throw new ColumnSchemaException(KeyColumnName!, $"a label key in 1–{classes} (the model's classes)",
                    keys[i] == 0 ? "a missing value (key 0)" : $"key {keys[i]}");
            targets[i] = (int)keys[i] - 1;
        }
        Write(inputs, targets, outputs[0]);
    }

    private int[] Predicted(float[] inputs, int count) => model.PredictClasses(inputs.AsSpan(0, count * InputLength), count);

    private void Write(float[] inputs, int[] targets, float[] output)
    {
        var images = inputs.AsSpan(0, targets.Length * InputLength);
        using var use = model.Use(); // a Dispose on another thread waits for this batch
        AttributionMaps maps;
        if (method is AttributionMethod library)
        {
            // Built once, not per batch; eval mode is still set per batch, as AttributionModel.From does.
            if (attributionModel == null) attributionModel = AttributionModel.From(model);
            else model.Network.eval();
            maps = library.Attribute(attributionModel, images, targets);
        }
        else
        {
            maps = method.Attribute(model, images, targets);
        }
        maps.Values.CopyTo(output, 0);
    }
}
