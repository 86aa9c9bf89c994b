using Microsoft.ML;
using MlNetCnn.Model;
using MlNetCnn.Transforms.Schema;
using MlNetCnn.Transforms.Scoring;

namespace MlNetCnn.Transforms;

/// <summary>
/// A trained SimpleCnn as an ML.NET transformer: adds <c>Score</c> (class probabilities, slot names = class names)
/// and <c>PredictedLabel</c> (a key with the training label's key values). Scoring is lazy and batched.
/// </summary>
public sealed class SimpleCnnTransformer : BatchScoringTransformer
{
    internal SimpleCnnTransformer(TrainedCnn model, string featureColumnName, string scoreColumnName, string predictedLabelColumnName, int inferenceBatchSize)
        : base(model, ownsModel: true)
    {
        BatchLimit.Check(inferenceBatchSize, model.Architecture.InputLength + (long)model.Architecture.ClassCount, "InferenceBatchSize");
        FeatureColumnName = featureColumnName;
        ScoreColumnName = scoreColumnName;
        PredictedLabelColumnName = predictedLabelColumnName;
        InferenceBatchSize = inferenceBatchSize;
    }

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

    private protected override string SaveAdvice => "Save it with mlContext.Model.SaveSimpleCnn (MlNetCnn.Persistence).";

    internal override void CheckInput(DataViewSchema inputSchema) =>
        ImageColumnValidator.CheckFeatures(inputSchema, FeatureColumnName, Model.Architecture);

    internal override void CheckInput(SchemaShape inputSchema) =>
        ImageColumnValidator.CheckFeatures(inputSchema, FeatureColumnName, Model.Architecture);

    internal override IBatchScorer CreateScorer() =>
        new ClassificationScorer(Model, FeatureColumnName, ScoreColumnName, PredictedLabelColumnName, InferenceBatchSize);
}
