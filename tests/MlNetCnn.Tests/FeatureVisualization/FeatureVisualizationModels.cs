using Microsoft.ML;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Model;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Transforms;

namespace MlNetCnn.Tests.FeatureVisualization;

/// <summary>
/// The trained networks the feature-visualization checks run on, each with the whole CIFAR test split in its input
/// shape: the default network (1,000 training images, 1 epoch) and a 3-layer one on non-square grey crops of the same
/// images (1×24×32). Trained once per test class.
/// </summary>
public sealed class FeatureVisualizationModels : IDisposable
{
    public FeatureVisualizationModels()
    {
        Ml = new MLContext(seed: 1);
        var train = new Cifar10DataView(SharedData.CifarDirectory, Cifar10Split.Train, maxRows: 1000);
        var test = new Cifar10DataView(SharedData.CifarDirectory, Cifar10Split.Test);
        TestCount = (int)test.RowCount;
        DefaultClassifier = Ml.MulticlassClassification.Trainers.SimpleCnn(new SimpleCnnTrainer.Options { NumberOfEpochs = 1, NumberOfThreads = 1 }).Fit(train);
        DefaultTestPixels = ReadFloats(test);
        GreyClassifier = Ml.MulticlassClassification.Trainers.SimpleCnn(new SimpleCnnTrainer.Options
        {
            NumberOfEpochs = 1,
            NumberOfThreads = 1,
            ConvChannels = [6, 8, 12],
            HiddenUnits = 32,
        }).Fit(GreyCifarCrops.Create(Ml, train));
        GreyTestPixels = ReadFloats(GreyCifarCrops.Create(Ml, test));
    }

    public MLContext Ml { get; }

    public int TestCount { get; }

    public SimpleCnnTransformer DefaultClassifier { get; }

    public float[] DefaultTestPixels { get; }

    /// <summary>Three conv layers on 1×24×32 grey images.</summary>
    public SimpleCnnTransformer GreyClassifier { get; }

    public float[] GreyTestPixels { get; }

    public static IEnumerable<object[]> Names() => [["default"], ["grey-3-layer"]];

    public (TrainedCnn Model, float[] TestPixels) Get(string name) =>
        name == "default" ? (DefaultClassifier.Model, DefaultTestPixels) : (GreyClassifier.Model, GreyTestPixels);

    public void Dispose()
    {
        DefaultClassifier.Dispose();
        GreyClassifier.Dispose();
    }

    private static float[] ReadFloats(IDataView view) => [.. DataViewColumns.ReadFloats(view, "Features").SelectMany(r => r)];
}
