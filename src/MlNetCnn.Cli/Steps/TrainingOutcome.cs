using Microsoft.ML;
using MlNetCnn.Cli.Inputs;
using MlNetCnn.Transforms;

namespace MlNetCnn.Cli.Steps;

/// <summary>What a training run leaves for the steps after it (saving, reporting).</summary>
public sealed record TrainingOutcome(MLContext MlContext, SimpleCnnTransformer Model, Dataset Data, double TestAccuracy) : IDisposable
{
    /// <summary>Test images with the Features and Label columns the model reads.</summary>
    public IDataView Test => Data.Test;

    public void Dispose() => Model.Dispose();
}
