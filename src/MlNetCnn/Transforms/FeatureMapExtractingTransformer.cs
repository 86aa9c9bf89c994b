using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Model;
using MlNetCnn.Transforms.Schema;
using MlNetCnn.Transforms.Scoring;

namespace MlNetCnn.Transforms;

/// <summary>
/// Adds conv feature-map columns (one C×H×W float vector per layer) computed by a trained SimpleCnn. Inference is lazy,
/// batched and gradient-free, and a cursor only extracts the layers whose columns it asks for. Works in a
/// <see cref="TransformerChain{TLastTransformer}"/> (for example after the classifier) and with PredictionEngine.
/// The transformer uses the network but does not own it: dispose the <see cref="SimpleCnnTransformer"/> or
/// <see cref="TrainedCnn"/> it was made from.
/// </summary>
public sealed class FeatureMapExtractingTransformer : ITransformer
{
    private readonly IReadOnlyList<ConvLayerShape> layers;

    internal FeatureMapExtractingTransformer(TrainedCnn model, string inputColumnName, IReadOnlyList<ConvLayerShape> layers,
        IReadOnlyList<string> outputColumnNames, bool preActivation, int batchSize)
    {
        Model = model;
        InputColumnName = inputColumnName;
        this.layers = layers;
        OutputColumnNames = outputColumnNames;
        PreActivation = preActivation;
        BatchSize = batchSize;
    }

    /// <summary>The network the maps come from.</summary>
    public TrainedCnn Model { get; }

    /// <summary>The pixel column read (C×H×W floats, planar).</summary>
    public string InputColumnName { get; }

    /// <summary>Extracted layers, in column order (conv1, conv2, …).</summary>
    public IReadOnlyList<string> Layers => layers.Select(l => l.Name).ToArray();

    /// <summary>Output column of each entry of <see cref="Layers"/>.</summary>
    public IReadOnlyList<string> OutputColumnNames { get; }

    /// <summary>True: conv output before ReLU; false: after ReLU, before pooling.</summary>
    public bool PreActivation { get; }

    /// <summary>Rows per inference batch.</summary>
    public int BatchSize { get; }

    /// <inheritdoc />
    public bool IsRowToRowMapper => true;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ImageColumnValidator.CheckFeatures(inputSchema, InputColumnName, Model.Architecture);
        return BatchedInferenceDataView.AppendColumns(inputSchema, CreateScorer().OutputColumns);
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ImageColumnValidator.CheckFeatures(input.Schema, InputColumnName, Model.Architecture);
        return new BatchedInferenceDataView(input, CreateScorer());
    }

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ImageColumnValidator.CheckFeatures(inputSchema, InputColumnName, Model.Architecture);
        return new BatchScorerRowMapper(inputSchema, CreateScorer());
    }

    /// <summary>
    /// ML.NET's model format cannot hold a transformer written outside ML.NET (its save/load contexts are internal).
    /// Save the pipeline with <c>mlContext.Model.SaveSimpleCnn</c> instead.
    /// </summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => throw new NotSupportedException(
        "FeatureMapExtractingTransformer cannot be written by mlContext.Model.Save: ML.NET keeps the API for custom model parts internal. " +
        "Save the pipeline with mlContext.Model.SaveSimpleCnn (MlNetCnn.Persistence).");

    internal IReadOnlyList<ConvLayerShape> LayerShapes => layers;

    internal IBatchScorer CreateScorer() =>
        new FeatureMapScorer(Model, InputColumnName, layers, OutputColumnNames, PreActivation, BatchSize);
}
