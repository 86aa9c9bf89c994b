using Microsoft.ML;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Transforms;

namespace MlNetCnn.Tests.Reporting.CnnReport;

/// <summary>
/// One small model for all CNN report tests (1 epoch on 500 real CIFAR-10 training images, validated on 200 test
/// images), and the report data measured on 300 test images.
/// </summary>
public sealed class CnnReportFixture : IDisposable
{
    public const int TestRows = 300;

    public CnnReportFixture()
    {
        Ml = new MLContext(seed: 1);
        var train = Ml.Data.LoadFromCifar10(SharedData.CifarDirectory, Cifar10Split.Train, maxRows: 500);
        Classifier = Ml.MulticlassClassification.Trainers.SimpleCnn(new SimpleCnnTrainer.Options
        {
            NumberOfEpochs = 1,
            NumberOfThreads = 1,
            Seed = 3,
            ValidationSet = Ml.Data.LoadFromCifar10(SharedData.CifarDirectory, Cifar10Split.Test, maxRows: 200),
        }).Fit(train);
        Test = Ml.Data.LoadFromCifar10(SharedData.CifarDirectory, Cifar10Split.Test, maxRows: TestRows);
        Data = CnnReportGenerator.Measure(Ml, Classifier.Model, Test);
    }

    public MLContext Ml { get; }

    public SimpleCnnTransformer Classifier { get; }

    public Cifar10DataView Test { get; }

    /// <summary>Measured with default options.</summary>
    public CnnReportData Data { get; }

    public void Dispose() => Classifier.Dispose();
}

[CollectionDefinition(Name)]
public sealed class CnnReportCollection : ICollectionFixture<CnnReportFixture>
{
    public const string Name = "CnnReport";
}
