using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetCnn.Interop.Onnx;
using MlNetCnn.Model;
using static TorchSharp.torch;

namespace MlNetCnn.Tests.Interop.Onnx;

/// <summary>
/// The exported file run by ONNX Runtime (the NuGet package, no libtorch involved in its arithmetic) against the library:
/// probabilities, logits and every conv layer's post-ReLU maps agree within 1e-5 on the whole CIFAR test split, for
/// the default, 3-layer 5×5, non-square grey and circularly padded networks, at a batch size that leaves a ragged last batch.
/// The library side runs on its LibTorch engine: its default engine is ONNX Runtime on this very export, which would
/// compare the file with itself.
/// </summary>
[Collection(OnnxModelsCollection.Name)]
public sealed class OnnxRuntimeAgreementTests
{
    private const float Tolerance = 1e-5f;
    private const int Batch = 100;
    private readonly OnnxTestModels models;

    public OnnxRuntimeAgreementTests(OnnxTestModels models) => this.models = models;

    [Theory]
    [MemberData(nameof(OnnxTestModels.All), MemberType = typeof(OnnxTestModels))]
    public void ProbabilitiesLogitsAndEveryConvMapAgreeOnTheWholeTestSplit(string name)
    {
        var (model, pixels, count) = models.Get(name);
        var a = model.Architecture;
        model.InferenceEngine = InferenceEngine.LibTorch;
        try
        {
            Compare(name, model, pixels, count);
        }
        finally
        {
            model.InferenceEngine = InferenceEngine.Auto;
        }
    }

    private void Compare(string name, TrainedCnn model, float[] pixels, int count)
    {
        var a = model.Architecture;
        using var stream = new MemoryStream();
        models.Ml.Model.SaveSimpleCnnAsOnnx(model, stream, includeFeatureMaps: true);
        using var session = new InferenceSession(stream.ToArray());

        Assert.Equal([SimpleCnnOnnx.InputName], session.InputMetadata.Keys);
        Assert.Equal(new[] { -1, a.InputChannels, a.InputHeight, a.InputWidth }, session.InputMetadata[SimpleCnnOnnx.InputName].Dimensions);
        Assert.Equal(new[] { SimpleCnnOnnx.ProbabilitiesName, SimpleCnnOnnx.LogitsName }.Concat(model.ConvLayers.Select(l => l.Name)), session.OutputMetadata.Keys);

        var layers = Enumerable.Range(0, model.ConvLayers.Count).ToArray();
        double worstProbability = 0, worstLogit = 0, largestLogit = 0;
        var worstMap = new double[layers.Length];
        for (var start = 0; start < count; start += Batch)
        {
            var n = Math.Min(Batch, count - start);
            var images = pixels.AsSpan(start * a.InputLength, n * a.InputLength);
            var probabilities = new float[n * a.ClassCount];
            var maps = model.ConvLayers.Select(l => new float[n * l.MapLength]).ToArray();
            model.Infer(images, n, probabilities, layers, maps);
            var logits = Logits(model, images, n);
            largestLogit = Math.Max(largestLogit, MaxAbs(logits));

            var input = new DenseTensor<float>(images.ToArray(), [n, a.InputChannels, a.InputHeight, a.InputWidth]);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(SimpleCnnOnnx.InputName, input)]);
            var byName = results.ToDictionary(r => r.Name, r => r.AsTensor<float>());
            worstProbability = Math.Max(worstProbability, MaxDifference(probabilities, byName[SimpleCnnOnnx.ProbabilitiesName], [n, a.ClassCount]));
            worstLogit = Math.Max(worstLogit, MaxDifference(logits, byName[SimpleCnnOnnx.LogitsName], [n, a.ClassCount]));
            foreach (var layer in model.ConvLayers)
                worstMap[layer.Index] = Math.Max(worstMap[layer.Index], MaxDifference(maps[layer.Index], byName[layer.Name], [n, layer.OutChannels, layer.OutHeight, layer.OutWidth]));
        }

        Assert.True(worstProbability <= Tolerance, $"{name}: probabilities differ by up to {worstProbability:E2}");
        // Logits are not bounded like probabilities: 1e-5 relative to the largest one (absolute below 1).
        Assert.True(worstLogit <= Tolerance * Math.Max(1, largestLogit), $"{name}: logits differ by up to {worstLogit:E2} (largest |logit| {largestLogit:F2})");
        for (var l = 0; l < layers.Length; l++)
            Assert.True(worstMap[l] <= Tolerance, $"{name}: {model.ConvLayers[l].Name} maps differ by up to {worstMap[l]:E2}");
    }

    [Fact]
    public void WithoutTheOptionOnlyProbabilitiesAndLogitsAreOutputsAndTheBatchIsDynamic()
    {
        var (model, pixels, _) = models.Get(OnnxTestModels.Default);
        using var stream = new MemoryStream();
        models.Ml.Model.SaveSimpleCnnAsOnnx(models.DefaultClassifier, stream);
        using var session = new InferenceSession(stream.ToArray());
        Assert.Equal([SimpleCnnOnnx.ProbabilitiesName, SimpleCnnOnnx.LogitsName], session.OutputMetadata.Keys);

        // One image and seven images through the same session; each row sums to 1.
        foreach (var n in new[] { 1, 7 })
        {
            var input = new DenseTensor<float>(pixels.AsSpan(0, n * 3072).ToArray(), [n, 3, 32, 32]);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(SimpleCnnOnnx.InputName, input)]);
            var probabilities = results.First(r => r.Name == SimpleCnnOnnx.ProbabilitiesName).AsTensor<float>();
            Assert.Equal(new[] { n, 10 }, probabilities.Dimensions.ToArray());
            for (var i = 0; i < n; i++)
                Assert.Equal(1.0, Enumerable.Range(0, 10).Sum(c => (double)probabilities[i, c]), 5);
            Assert.Equal(model.PredictClasses(pixels.AsSpan(0, n * 3072), n),
                Enumerable.Range(0, n).Select(i => Enumerable.Range(0, 10).MaxBy(c => probabilities[i, c])).ToArray());
        }
    }

    [Fact]
    public void MetadataHoldsClassNamesInputShapeArchitectureAndProducer()
    {
        var model = models.GreyClassifier.Model;
        using var stream = new MemoryStream();
        models.Ml.Model.SaveSimpleCnnAsOnnx(model, stream);
        using var session = new InferenceSession(stream.ToArray());
        var metadata = session.ModelMetadata;
        Assert.Equal(SimpleCnnOnnx.ProducerName, metadata.ProducerName);
        Assert.Contains("conv1 1→4 3×3", metadata.Description);
        var map = metadata.CustomMetadataMap;
        Assert.Equal(model.ClassNames, System.Text.Json.JsonSerializer.Deserialize<string[]>(map[SimpleCnnOnnx.ClassNamesKey]));
        Assert.Equal("1,24,32", map[SimpleCnnOnnx.InputShapeKey]);
        Assert.Equal("", map[SimpleCnnOnnx.FeatureMapOutputsKey]);
        Assert.Contains("[0, 1]", map[SimpleCnnOnnx.InputFormatKey]);
        var architecture = System.Text.Json.JsonSerializer.Deserialize<ConvNetArchitecture>(map[SimpleCnnOnnx.ArchitectureKey], MlNetCnn.Persistence.SimpleCnnModelFile.JsonOptions)!;
        Assert.Equal(model.Architecture.ConvChannels, architecture.ConvChannels);
        Assert.Equal(model.Architecture with { ConvChannels = architecture.ConvChannels }, architecture);
    }

    private static float[] Logits(TrainedCnn model, ReadOnlySpan<float> images, int count)
    {
        var a = model.Architecture;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = TensorData.FromSpan(images, count, a.InputChannels, a.InputHeight, a.InputWidth);
        return TensorData.ToArray(model.Network.forward(input));
    }

    private static double MaxAbs(float[] values) => values.Max(v => Math.Abs((double)v));

    private static double MaxDifference(float[] expected, Tensor<float> actual, int[] shape)
    {
        Assert.Equal(shape, actual.Dimensions.ToArray());
        var values = actual.ToArray();
        Assert.Equal(expected.Length, values.Length);
        var worst = 0.0;
        for (var i = 0; i < values.Length; i++)
        {
            var difference = Math.Abs((double)expected[i] - values[i]);
            if (double.IsNaN(difference)) return double.PositiveInfinity;
            worst = Math.Max(worst, difference);
        }
        return worst;
    }
}
