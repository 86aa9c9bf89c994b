using Microsoft.ML;
using MlNetCnn.Attribution;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Experiments;
using MlNetCnn.Model;
using MlNetCnn.Native;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Tests.Experiments;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Training;
using MlNetCnn.Transforms;

namespace MlNetCnn.Tests.Native;

/// <summary>
/// Each public entry point must leave libtorch's oneDNN and NNPACK convolutions off, read back through libtorch's own
/// getters. The switches are process-wide, so these tests turn them back on first and run alone (serial collection):
/// no other test's convolutions run while they are on.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public class ConvolutionBackendsTests
{
    [Fact]
    public void TheGettersReadWhatTheSettersWrote()
    {
        try
        {
            ConvolutionBackends.SetForTesting(oneDnn: true, nnpack: true);
            Assert.True(ConvolutionBackends.IsOneDnnEnabled);
            Assert.True(ConvolutionBackends.IsNnpackEnabled);
            ConvolutionBackends.Apply();
            Assert.False(ConvolutionBackends.IsOneDnnEnabled);
            Assert.False(ConvolutionBackends.IsNnpackEnabled);
        }
        finally
        {
            ConvolutionBackends.Apply();
        }
    }

    [Fact]
    public void EveryPublicEntryPointTurnsOneDnnAndNnpackOff()
    {
        Assert.False(ConvolutionBackends.OneDnnOptedIn, $"{ConvolutionBackends.OneDnnOptInVariable} is set for the test run; unset it.");
        var ml = new MLContext(seed: 1);
        var train = new Cifar10DataView(SharedData.CifarDirectory, Cifar10Split.Train, maxRows: 40);
        var test = new Cifar10DataView(SharedData.CifarDirectory, Cifar10Split.Test, maxRows: 8);
        SimpleCnnTransformer? classifier = null;
        using var temp = new TempDirectory();
        var modelPath = temp.Combine("model.zip");

        var entryPoints = new (string Name, Action Touch)[]
        {
            ("SimpleCnn trainer Fit", () => classifier = ml.MulticlassClassification.Trainers.SimpleCnn(new SimpleCnnTrainer.Options { NumberOfEpochs = 1, NumberOfThreads = 1 }).Fit(train)),
            ("classifier Transform", () => ReadsValues(classifier!.Transform(test), "Score")),
            ("PredictionEngine", () => Assert.Equal(10, ml.Model.CreatePredictionEngine<ImageRow, Scored>(classifier!).Predict(new ImageRow()).Score.Length)),
            ("ExtractFeatureMaps", () => ReadsValues(ml.Transforms.ExtractFeatureMaps(classifier!).Fit(test).Transform(test), "conv2")),
            ("LoadSimpleCnn", () => { ml.Model.SaveSimpleCnn(classifier!, modelPath); ml.Model.LoadSimpleCnn(modelPath).Dispose(); }),
            ("CnnReportGenerator", () => CnnReportGenerator.Create(ml, classifier!, test, new CnnReportOptions { ImageIndices = [0] })),
            ("IAttributionMethod.Attribute", () => AttributionRegistry.Default.Create("gradcam").Attribute(classifier!.Model, new float[3 * 32 * 32], new[] { 0 })),
            ("TrainingLoop.CreateModel", () => TrainingLoop.CreateModel(ConvNetArchitecture.Default, new TrainingSettings()).Dispose()),
            ("ExperimentRunner", () =>
            {
                using var context = ExperimentContext.FromCifar10(SharedData.CifarDirectory, ExperimentTestModels.Tiny with { TrainImages = 40, TestImages = 16 });
                ExperimentRunner.Run(ExperimentRegistry.Default.Get("receptive-field"), context);
            }),
        };

        var failures = new List<string>();
        try
        {
            foreach (var (name, touch) in entryPoints)
            {
                ConvolutionBackends.SetForTesting(oneDnn: true, nnpack: true);
                touch();
                if (ConvolutionBackends.IsOneDnnEnabled || ConvolutionBackends.IsNnpackEnabled)
                    failures.Add($"{name}: oneDNN {ConvolutionBackends.IsOneDnnEnabled}, NNPACK {ConvolutionBackends.IsNnpackEnabled}");
            }
        }
        finally
        {
            ConvolutionBackends.Apply();
            classifier?.Dispose();
        }
        Assert.True(failures.Count == 0, "Entry points that left a risky convolution backend on:\n" + string.Join("\n", failures));
    }

    private static void ReadsValues(IDataView view, string column) =>
        Assert.NotEmpty(Persistence.PersistenceTestModel.ReadFloats(view, column));

    private sealed class ImageRow
    {
        [Microsoft.ML.Data.VectorType(3, 32, 32)]
        public float[] Features { get; set; } = new float[3 * 32 * 32];
    }

    private sealed class Scored
    {
        public float[] Score { get; set; } = Array.Empty<float>();
    }
}
