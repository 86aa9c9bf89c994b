using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Transforms;

namespace MlNetCnn.Tests.Persistence;

/// <summary>
/// What a newcomer writes after <c>pipeline.Fit(data)</c>: <c>SaveSimpleCnn(fitted, path)</c> on the chain (it did not
/// compile), loading it back, and getting the CNN out of a chain that ends in MapKeyToValue.
/// </summary>
public sealed class FittedPipelineSaveTests
{
    private static SimpleCnnTrainer.Options Options(string column = "Features") => new() { FeatureColumnName = column, NumberOfEpochs = 1, Seed = 3 };

    private static float[][] Scores(IDataView view) =>
        view.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();

    [Fact]
    public void AFittedChainEndingInTheClassifierSavesWithThePlainCallAndLoadsBack()
    {
        using var temp = new TempDirectory();
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromCifar10(SharedData.CifarDirectory, Cifar10Split.Train, maxRows: 160);
        // An ML.NET stage before the classifier: the fitted chain is TransformerChain<SimpleCnnTransformer>.
        TransformerChain<SimpleCnnTransformer> fitted = ml.Transforms.CopyColumns("Pixels", "Features")
            .Append(ml.MulticlassClassification.Trainers.SimpleCnn(Options("Pixels")))
            .Fit(train);
        var path = temp.Combine("pipeline.zip");

        ml.Model.SaveSimpleCnn(fitted, path); // the call that failed with CS1503

        using var loaded = new MLContext(seed: 1).Model.LoadSimpleCnn(path, out var inputSchema);
        Assert.Null(inputSchema);
        Assert.Equal(["ColumnCopyingTransformer", "SimpleCnnTransformer"], loaded.Select(s => s.GetType().Name));
        var expected = Scores(fitted.Transform(train));
        Assert.All(expected.SelectMany(s => s), v => Assert.True(float.IsFinite(v)));
        Assert.Equal(expected, Scores(loaded.Transform(train)));
        Assert.Equal("Pixels", loaded.GetSimpleCnn().FeatureColumnName);
        fitted.LastTransformer.Dispose();
    }

    [Fact]
    public void GetSimpleCnnFindsTheClassifierOfAChainEndingInMapKeyToValue()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromCifar10(SharedData.CifarDirectory, Cifar10Split.Train, maxRows: 80);
        var fitted = ml.MulticlassClassification.Trainers.SimpleCnn(Options())
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"))
            .Fit(train);

        using var cnn = fitted.GetSimpleCnn();
        Assert.Same(((IEnumerable<ITransformer>)fitted).OfType<SimpleCnnTransformer>().Single(), cnn);
        Assert.Single(cnn.History);

        // Nested chains are searched too; a pipeline without a classifier says what it holds.
        Assert.Same(cnn, new TransformerChain<ITransformer>(fitted).GetSimpleCnn());
        var none = ml.Transforms.CopyColumns("Copy", "Features").Fit(train);
        var e = Assert.Throws<InvalidOperationException>(() => none.GetSimpleCnn());
        Assert.Contains("ColumnCopyingTransformer", e.Message);
    }
}
