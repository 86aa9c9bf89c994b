using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Model;
using MlNetCnn.Tests.Persistence;
using MlNetCnn.Tests.TestSupport;
using static TorchSharp.torch;

namespace MlNetCnn.Tests.Interop.PyTorch;

/// <summary>
/// Proof against the real PyTorch: the seed's unmodified SimpleCNN (tests/pytorch/seed_simplecnn.py) loads our exported
/// state_dict and computes the same logits and conv maps; a state_dict PyTorch trained gives the same predictions here.
/// Skipped, saying why, where no Python can import torch.
/// </summary>
public sealed class PyTorchAgreementTests : IClassFixture<PersistenceTestModel>
{
    private const int Images = 16;
    private const float Tolerance = 1e-5f;
    private readonly PersistenceTestModel fixture;

    public PyTorchAgreementTests(PersistenceTestModel fixture) => this.fixture = fixture;

    [PyTorchFact]
    public void SeedClassLoadsOurExportAndAgreesOnLogitsAndBothConvMaps()
    {
        using var temp = new TempDirectory();
        var test = PersistenceTestModel.TestImages(Images);
        var pixels = PersistenceTestModel.ReadFloats(test, "Features");
        var imagesPath = WriteFloats(temp.Combine("images.f32"), pixels);
        var statePath = temp.Combine("simplecnn.pth");
        fixture.Ml.Model.SavePyTorchStateDict(fixture.Classifier, statePath);

        PythonTorch.Run("forward", statePath, imagesPath, Images.ToString(), temp.Path);

        var model = fixture.Classifier.Model;
        AssertClose(Logits(model, pixels, Images), ReadFloats(temp.Combine("logits.f32")), "logits");
        var maps = fixture.Ml.Transforms.ExtractFeatureMaps(fixture.Classifier).Fit(test).Transform(test);
        AssertClose(PersistenceTestModel.ReadFloats(maps, "conv1"), ReadFloats(temp.Combine("conv1.f32")), "conv1 maps");
        AssertClose(PersistenceTestModel.ReadFloats(maps, "conv2"), ReadFloats(temp.Combine("conv2.f32")), "conv2 maps");
    }

    [PyTorchFact]
    public void StateDictTrainedInPyTorchGivesTheSamePredictionsHere()
    {
        using var temp = new TempDirectory();
        var train = new Cifar10DataView(SharedData.CifarDirectory, Cifar10Split.Train, maxRows: 64);
        var pixels = PersistenceTestModel.ReadFloats(train, "Features");
        var labels = train.GetColumn<uint>("Label").Select(k => (long)k - 1).ToArray();
        var imagesPath = WriteFloats(temp.Combine("images.f32"), pixels);
        var labelsPath = temp.Combine("labels.i64");
        File.WriteAllBytes(labelsPath, labels.SelectMany(BitConverter.GetBytes).ToArray());
        var statePath = temp.Combine("trained.pth");

        PythonTorch.Run("train", imagesPath, labelsPath, "64", "16", "3", statePath, temp.Path);

        using var loaded = fixture.Ml.Model.LoadPyTorchSimpleCnn(statePath, train.ClassNames);
        AssertSame(ConvNetArchitecture.Default, loaded.Model.Architecture);
        var pytorchLogits = ReadFloats(temp.Combine("logits.f32"));
        AssertClose(Logits(loaded.Model, pixels, 64), pytorchLogits, "logits");

        // The ML.NET route: PredictedLabel is PyTorch's argmax, Score its softmax.
        var scored = loaded.Transform(train);
        var predicted = scored.GetColumn<uint>("PredictedLabel").Select(k => (int)k - 1).ToArray();
        var expected = Enumerable.Range(0, 64).Select(i => ArgMax(pytorchLogits.AsSpan(i * 10, 10))).ToArray();
        Assert.Equal(expected, predicted);
        var scores = PersistenceTestModel.ReadFloats(scored, "Score");
        AssertClose(scores, Softmax(pytorchLogits, 10), "scores");
    }

    [PyTorchFact]
    public void ACircularlyPaddedNetworkExportsAndAgreesWithTheSeedClassBuiltWithCircularPadding()
    {
        using var temp = new TempDirectory();
        var test = PersistenceTestModel.TestImages(Images);
        var pixels = PersistenceTestModel.ReadFloats(test, "Features");
        var imagesPath = WriteFloats(temp.Combine("images.f32"), pixels);
        // Trained briefly through the trainer's option, so the border weights are not just their seeded start.
        using var circular = fixture.Ml.MulticlassClassification.Trainers.SimpleCnn(new MlNetCnn.Transforms.SimpleCnnTrainer.Options
        {
            PaddingMode = ConvPadding.Circular,
            Seed = 4,
        }).Fit(new Cifar10DataView(SharedData.CifarDirectory, Cifar10Split.Train, maxRows: 200));
        Assert.Equal(ConvPadding.Circular, circular.Model.Architecture.PaddingMode);
        var statePath = temp.Combine("circular.pth");
        fixture.Ml.Model.SavePyTorchStateDict(circular, statePath); // refused with NotSupportedException before

        var ours = Logits(circular.Model, pixels, Images);
        PythonTorch.Run("forward", statePath, imagesPath, Images.ToString(), temp.Path, "circular");
        AssertClose(ours, ReadFloats(temp.Combine("logits.f32")), "logits (circular)");
        var maps = fixture.Ml.Transforms.ExtractFeatureMaps(circular).Fit(test).Transform(test);
        var conv1 = PersistenceTestModel.ReadFloats(maps, "conv1");
        AssertClose(conv1, ReadFloats(temp.Combine("conv1.f32")), "conv1 maps (circular)");

        // The unmodified seed class pads with zeros: its border responses differ, which is why the export says so.
        PythonTorch.Run("forward", statePath, imagesPath, Images.ToString(), temp.Path);
        var zeroPadded = ReadFloats(temp.Combine("conv1.f32"));
        Assert.Contains(Enumerable.Range(0, zeroPadded.Length), i => Math.Abs(zeroPadded[i] - conv1[i]) > 1e-3f);
        Assert.Contains("padding_mode='circular'", MlNetCnn.Interop.PyTorch.PyTorchStateDict.PaddingModeNote(circular.Model.Architecture));
    }

    private static float[] Logits(TrainedCnn model, float[] pixels, int count)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = TensorData.FromSpan(pixels, count, 3, 32, 32);
        return TensorData.ToArray(model.Network.forward(input));
    }

    private static void AssertClose(float[] ours, float[] theirs, string what)
    {
        Assert.Equal(theirs.Length, ours.Length);
        var worst = 0f;
        var at = -1;
        for (var i = 0; i < ours.Length; i++)
        {
            var d = Math.Abs(ours[i] - theirs[i]);
            if (d > worst) (worst, at) = (d, i);
        }
        Assert.True(worst <= Tolerance, $"{what}: largest difference {worst:E2} at index {at} (ours {ours[Math.Max(at, 0)]}, PyTorch {theirs[Math.Max(at, 0)]}) exceeds {Tolerance:E0}.");
    }

    private static string WriteFloats(string path, float[] values)
    {
        File.WriteAllBytes(path, values.SelectMany(BitConverter.GetBytes).ToArray());
        return path;
    }

    private static float[] ReadFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    private static float[] Softmax(float[] logits, int classes)
    {
        var result = new float[logits.Length];
        for (var r = 0; r < logits.Length / classes; r++)
        {
            var row = logits.AsSpan(r * classes, classes);
            var max = row.ToArray().Max();
            var sum = 0.0;
            for (var c = 0; c < classes; c++) sum += Math.Exp(row[c] - max);
            for (var c = 0; c < classes; c++) result[r * classes + c] = (float)(Math.Exp(row[c] - max) / sum);
        }
        return result;
    }

    /// <summary>Architectures are records with a list member; compare what they say, not the list instance.</summary>
    internal static void AssertSame(ConvNetArchitecture expected, ConvNetArchitecture actual) =>
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(expected), System.Text.Json.JsonSerializer.Serialize(actual));
}
