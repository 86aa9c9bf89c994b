using Microsoft.ML;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Model;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Training;
using MlNetCnn.Transforms;

namespace MlNetCnn.Tests.Interop.Onnx;

/// <summary>
/// The networks the ONNX tests export, each with the whole CIFAR test split prepared for its input: the default
/// network (1,000 training images, 1 epoch), a 3-layer 5×5 one, a non-square grey one (24×32 grey crops of CIFAR) and
/// three seeded, untrained ones that check the graph, not accuracy: circular padding (5×5), five conv layers (7×7, down to
/// a 1×1 map) and one conv layer with 1×1 kernels (no padding). Trained once per run.
/// </summary>
public sealed class OnnxTestModels : IDisposable
{
    public const string Default = "default";
    public const string ThreeLayer = "three-layer";
    public const string GreyNonSquare = "grey-non-square";
    public const string Circular = "circular";
    public const string FiveLayer = "five-layer";
    public const string OneByOne = "one-layer-1x1";

    public static readonly string[] Names = [Default, ThreeLayer, GreyNonSquare, Circular, FiveLayer, OneByOne];

    private readonly Dictionary<string, (TrainedCnn Model, float[] TestPixels, int TestCount)> models = new();

    public OnnxTestModels()
    {
        Ml = new MLContext(seed: 1);
        var train = new Cifar10DataView(SharedData.CifarDirectory, Cifar10Split.Train, maxRows: 1000);
        var test = new Cifar10DataView(SharedData.CifarDirectory, Cifar10Split.Test);
        TestCount = (int)test.RowCount;
        var testPixels = ReadFloats(test, "Features");

        DefaultClassifier = Ml.MulticlassClassification.Trainers.SimpleCnn(new SimpleCnnTrainer.Options { NumberOfEpochs = 1, NumberOfThreads = 1 }).Fit(train);
        models[Default] = (DefaultClassifier.Model, testPixels, TestCount);

        var small = new Cifar10DataView(SharedData.CifarDirectory, Cifar10Split.Train, maxRows: 200);
        ThreeLayerClassifier = Ml.MulticlassClassification.Trainers.SimpleCnn(new SimpleCnnTrainer.Options
        {
            NumberOfEpochs = 1,
            NumberOfThreads = 1,
            ConvChannels = [8, 12, 16],
            KernelSize = 5,
            HiddenUnits = 40,
        }).Fit(small);
        models[ThreeLayer] = (ThreeLayerClassifier.Model, testPixels, TestCount);

        var greyTrain = GreyCifarCrops.Create(Ml, small);
        GreyClassifier = Ml.MulticlassClassification.Trainers.SimpleCnn(new SimpleCnnTrainer.Options
        {
            NumberOfEpochs = 1,
            NumberOfThreads = 1,
            ConvChannels = [4, 8],
            HiddenUnits = 32,
        }).Fit(greyTrain);
        models[GreyNonSquare] = (GreyClassifier.Model, ReadFloats(GreyCifarCrops.Create(Ml, test), "Features"), TestCount);

        var circular = ConvNetArchitecture.Default with { PaddingMode = ConvPadding.Circular, KernelSize = 5 };
        var settings = new TrainingSettings();
        CircularModel = new TrainedCnn(TrainingLoop.CreateModel(circular, settings), test.ClassNames, [], settings);
        models[Circular] = (CircularModel, testPixels, TestCount);
        FiveLayerModel = new TrainedCnn(TrainingLoop.CreateModel(ConvNetArchitecture.Default with { ConvChannels = [4, 6, 8, 8, 8], KernelSize = 7 }, settings), test.ClassNames, [], settings);
        models[FiveLayer] = (FiveLayerModel, testPixels, TestCount);
        OneByOneModel = new TrainedCnn(TrainingLoop.CreateModel(ConvNetArchitecture.Default with { ConvChannels = [5], KernelSize = 1 }, settings), test.ClassNames, [], settings);
        models[OneByOne] = (OneByOneModel, testPixels, TestCount);
    }

    public MLContext Ml { get; }

    /// <summary>Images in the CIFAR test split (the whole split is used).</summary>
    public int TestCount { get; }

    public SimpleCnnTransformer DefaultClassifier { get; }

    public SimpleCnnTransformer ThreeLayerClassifier { get; }

    public SimpleCnnTransformer GreyClassifier { get; }

    public TrainedCnn CircularModel { get; }

    public TrainedCnn FiveLayerModel { get; }

    public TrainedCnn OneByOneModel { get; }

    /// <summary>The model named <paramref name="name"/> (one of <see cref="Names"/>) and its test images, planar, back to back.</summary>
    public (TrainedCnn Model, float[] TestPixels, int TestCount) Get(string name) => models[name];

    public static IEnumerable<object[]> All() => Names.Select(n => new object[] { n });

    public void Dispose()
    {
        DefaultClassifier.Dispose();
        ThreeLayerClassifier.Dispose();
        GreyClassifier.Dispose();
        CircularModel.Dispose();
        FiveLayerModel.Dispose();
        OneByOneModel.Dispose();
    }

    private static float[] ReadFloats(IDataView view, string column) => DataViewColumns.ReadFloats(view, column).SelectMany(r => r).ToArray();
}

/// <summary>The ONNX test classes share one <see cref="OnnxTestModels"/>: the networks are trained once.</summary>
[CollectionDefinition(Name)]
public sealed class OnnxModelsCollection : ICollectionFixture<OnnxTestModels>
{
    public const string Name = "onnx models";
}
