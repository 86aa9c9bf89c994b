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
/// <see cref="TrainedCnn"/> it was made from. The one exception: loaded from a file that has no classifier stage, it
/// owns the network it was loaded with, and disposing it (or the chain) disposes that network.
/// </summary>
public sealed class FeatureMapExtractingTransformer : BatchScoringTransformer
{
    private readonly IReadOnlyList<ConvLayerShape> layers;

    internal FeatureMapExtractingTransformer(TrainedCnn model, string inputColumnName, IReadOnlyList<ConvLayerShape> layers,
        IReadOnlyList<string> outputColumnNames, bool preActivation, int batchSize, bool ownsModel = false)
        : base(model, ownsModel)
    {
        BatchLimit.Check(batchSize, model.Architecture.InputLength + layers.Sum(l => (long)l.MapLength), "BatchSize");
        InputColumnName = inputColumnName;
        this.layers = layers;
        OutputColumnNames = outputColumnNames;
        PreActivation = preActivation;
        BatchSize = batchSize;
    }

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

    private protected override string SaveAdvice => "Save the pipeline with mlContext.Model.SaveSimpleCnn (MlNetCnn.Persistence).";

    internal override void CheckInput(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ImageColumnValidator.CheckFeatures(inputSchema, InputColumnName, Model.Architecture);
    }

    internal override void CheckInput(SchemaShape inputSchema) =>
        ImageColumnValidator.CheckFeatures(inputSchema, InputColumnName, Model.Architecture);

    internal override IBatchScorer CreateScorer() =>
        new FeatureMapScorer(Model, InputColumnName, layers, OutputColumnNames, PreActivation, BatchSize);
}
