using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Model;
using MlNetCnn.Transforms.Schema;
using MlNetCnn.Transforms.Scoring;

namespace MlNetCnn.Transforms;

/// <summary>
/// A trained SimpleCnn as an ML.NET transformer: adds <c>Score</c> (class probabilities, slot names = class names)
/// and <c>PredictedLabel</c> (a key with the training label's key values). Scoring is lazy and batched.
/// </summary>
public sealed class SimpleCnnTransformer : ITransformer, IDisposable
{
    internal SimpleCnnTransformer(TrainedCnn model, string featureColumnName, string scoreColumnName, string predictedLabelColumnName, int inferenceBatchSize)
    {
        Model = model;
        FeatureColumnName = featureColumnName;
        ScoreColumnName = scoreColumnName;
        PredictedLabelColumnName = predictedLabelColumnName;
        InferenceBatchSize = inferenceBatchSize;
    }

    /// <summary>The trained network, its class names and training history.</summary>
    public TrainedCnn Model { get; }

    /// <summary>Per-epoch training (and validation) loss and accuracy.</summary>
    public IReadOnlyList<EpochMetrics> History => Model.History;

    /// <summary>The pixel column read (C×H×W floats, planar).</summary>
    public string FeatureColumnName { get; }

    /// <summary>The class-probability column written.</summary>
    public string ScoreColumnName { get; }

    /// <summary>The predicted-label column written.</summary>
    public string PredictedLabelColumnName { get; }

    /// <summary>Rows scored per batch.</summary>
    public int InferenceBatchSize { get; }

    /// <inheritdoc />
    public bool IsRowToRowMapper => true;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ImageColumnValidator.CheckFeatures(inputSchema, FeatureColumnName, Model.Architecture);
        return BatchedInferenceDataView.AppendColumns(inputSchema, CreateScorer().OutputColumns);
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        ImageColumnValidator.CheckFeatures(input.Schema, FeatureColumnName, Model.Architecture);
        return new BatchedInferenceDataView(input, CreateScorer());
    }

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ImageColumnValidator.CheckFeatures(inputSchema, FeatureColumnName, Model.Architecture);
        return new BatchScorerRowMapper(inputSchema, CreateScorer());
    }

    /// <summary>
    /// ML.NET's model format cannot hold a transformer written outside ML.NET (its save/load contexts are internal).
    /// Use <c>mlContext.Model.SaveSimpleCnn</c> (MlNetCnn.Persistence) instead.
    /// </summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => throw new NotSupportedException(
        "SimpleCnnTransformer cannot be written by mlContext.Model.Save: ML.NET keeps the API for custom model parts internal. " +
        "Save it with mlContext.Model.SaveSimpleCnn (MlNetCnn.Persistence).");

    internal IBatchScorer CreateScorer() =>
        new ClassificationScorer(Model, FeatureColumnName, ScoreColumnName, PredictedLabelColumnName, InferenceBatchSize);

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
