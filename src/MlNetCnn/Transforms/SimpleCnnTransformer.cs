using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Data;
using MlNetCnn.Model;
using MlNetCnn.Training;

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

    public string FeatureColumnName { get; }

    public string ScoreColumnName { get; }

    public string PredictedLabelColumnName { get; }

    public int InferenceBatchSize { get; }

    public bool IsRowToRowMapper => true;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ImageColumnValidator.CheckFeatures(inputSchema, FeatureColumnName, Model.Architecture);
        return BatchedInferenceDataView.AppendColumns(inputSchema, CreateScorer().OutputColumns);
    }

    public IDataView Transform(IDataView input)
    {
        ImageColumnValidator.CheckFeatures(input.Schema, FeatureColumnName, Model.Architecture);
        return new BatchedInferenceDataView(input, CreateScorer());
    }

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

    public void Dispose() => Model.Dispose();
}
