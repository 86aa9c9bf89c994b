using Microsoft.ML;
using MlNetCnn.Data;
using MlNetCnn.Transforms;

namespace MlNetCnn.Cli.Commands;

/// <summary>What a training run leaves for the steps after it (saving, reporting).</summary>
public sealed record TrainingRun(MLContext MlContext, SimpleCnnTransformer Model, string DataDirectory, Cifar10DataView Test, double TestAccuracy) : IDisposable
{
    public void Dispose() => Model.Dispose();
}
