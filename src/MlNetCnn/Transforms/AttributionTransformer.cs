using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Attribution;
using MlNetCnn.Model;
using MlNetCnn.Transforms.Schema;
using MlNetCnn.Transforms.Scoring;

namespace MlNetCnn.Transforms;

/// <summary>
/// Adds an attribution column computed lazily, in batches, by one <see cref="IAttributionMethod"/>; only cursors that
/// read the column pay for it. Works after the classifier in a <see cref="TransformerChain{TLastTransformer}"/> and
/// with PredictionEngine. Uses the network without owning it.
/// </summary>
public sealed class AttributionTransformer : BatchScoringTransformer
{
    private readonly IAttributionMethod method;

    internal AttributionTransformer(TrainedCnn model, IAttributionMethod method, string inputColumnName, string outputColumnName,
        AttributionTarget target, string labelColumnName, int classIndex, int batchSize)
        : base(model, ownsModel: false)
    {
        BatchLimit.Check(batchSize, 2L * model.Architecture.InputLength, "BatchSize");
        this.method = method;
        InputColumnName = inputColumnName;
        OutputColumnName = outputColumnName;
        Target = target;
        LabelColumnName = labelColumnName;
        ClassIndex = classIndex;
        BatchSize = batchSize;
    }

    /// <summary>Registry name of the method.</summary>
    public string Method => method.Name;

    /// <summary>The pixel column read (C×H×W floats, planar).</summary>
    public string InputColumnName { get; }

    /// <summary>The attribution-map column written.</summary>
    public string OutputColumnName { get; }

    /// <summary>Which class each row is explained for.</summary>
    public AttributionTarget Target { get; }

    /// <summary>The label column read when <see cref="Target"/> is the label.</summary>
    public string LabelColumnName { get; }

    /// <summary>The class explained when <see cref="Target"/> is <see cref="AttributionTarget.FixedClass"/> (0-based).</summary>
    public int ClassIndex { get; }

    /// <summary>Rows explained per batch.</summary>
    public int BatchSize { get; }

    private protected override string SaveAdvice =>
        "Save the classifier with mlContext.Model.SaveSimpleCnn and add the attribution transform after loading.";

    internal override void CheckInput(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ImageColumnValidator.CheckFeatures(inputSchema, InputColumnName, Model.Architecture);
        if (Target == AttributionTarget.Label) ImageColumnValidator.CheckLabel(inputSchema, LabelColumnName, Model.Architecture.ClassCount);
    }

    internal override void CheckInput(SchemaShape inputSchema)
    {
        ImageColumnValidator.CheckFeatures(inputSchema, InputColumnName, Model.Architecture);
        if (Target == AttributionTarget.Label) ImageColumnValidator.CheckLabel(inputSchema, LabelColumnName);
    }

    internal override IBatchScorer CreateScorer() =>
        new AttributionScorer(Model, method, InputColumnName, OutputColumnName, Target, LabelColumnName, ClassIndex, BatchSize);
}
