using Microsoft.ML;
using MlNetCnn.Attribution;
using MlNetCnn.Model;
using MlNetCnn.Tests.Attribution;
using MlNetCnn.Tests.Interop.Onnx;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Model.Inference;

/// <summary>
/// The two engines behind <see cref="TrainedCnn.Infer"/> — libtorch, and ONNX Runtime on the network's own export
/// (the default) — give the same numbers within 1e-5 wherever both run: probabilities, post- and pre-ReLU maps of every
/// conv layer (six architectures, including circular padding, five layers, 1×1 kernels and non-square grey input),
/// the transformers' columns through a cursor, occlusion maps and faithfulness curves. Each engine gives the same bytes
/// on every run and from a fresh session, and a disposed model refuses work. (Across processes: FreshProcessTests
/// compares the default engine's Score and maps byte for byte.)
/// </summary>
[Collection(OnnxModelsCollection.Name)]
public sealed class InferenceEngineTests
{
    private const double Tolerance = 1e-5;
    private const int Images = 130; // two batches of 64 and a ragged one
    private readonly OnnxTestModels models;

    public InferenceEngineTests(OnnxTestModels models) => this.models = models;

    [Theory]
    [MemberData(nameof(OnnxTestModels.All), MemberType = typeof(OnnxTestModels))]
    public void ProbabilitiesAndEveryLayersMapsAgreeBetweenTheEngines(string name)
    {
        var (model, pixels, _) = models.Get(name);
        var layers = Enumerable.Range(0, model.ConvLayers.Count).ToArray();
        foreach (var preActivation in new[] { false, true })
        {
            foreach (var batch in new[] { 64, 1 })
            {
                var count = batch == 1 ? 5 : Images;
                var libTorch = Run(model, InferenceEngine.LibTorch, pixels, count, batch, layers, preActivation);
                var onnx = Run(model, InferenceEngine.OnnxRuntime, pixels, count, batch, layers, preActivation);
                AssertClose(libTorch.Probabilities, onnx.Probabilities, $"{name} probabilities (batch {batch})");
                for (var l = 0; l < layers.Length; l++)
                    AssertClose(libTorch.Maps[l], onnx.Maps[l], $"{name} {model.ConvLayers[l].Name} {(preActivation ? "pre-ReLU" : "post-ReLU")} maps (batch {batch})");
                if (preActivation)
                    Assert.True(onnx.Maps[0].Any(v => v < 0), $"{name}: the pre-ReLU maps hold no negative value, so they are the post-ReLU ones");
            }
        }
        // Maps alone (no probabilities): libtorch stops after the deepest layer asked for; ONNX Runtime fetches one output.
        var onlyFirst = new float[Images * model.ConvLayers[0].MapLength];
        var reference = Run(model, InferenceEngine.LibTorch, pixels, Images, Images, [0], preActivation: false);
        model.InferenceEngine = InferenceEngine.OnnxRuntime;
        try
        {
            model.Infer(pixels.AsSpan(0, Images * model.Architecture.InputLength), Images, null, [0], [onlyFirst]);
        }
        finally
        {
            model.InferenceEngine = InferenceEngine.Auto;
        }
        AssertClose(reference.Maps[0], onlyFirst, $"{name} conv1 maps without probabilities");

        // The same layer asked for twice: both arrays get its maps on either engine.
        var twice = Run(model, InferenceEngine.OnnxRuntime, pixels, 3, 3, [0, 0], preActivation: false);
        AssertClose(twice.Maps[0], twice.Maps[1], $"{name} conv1 asked for twice");
        AssertClose(Run(model, InferenceEngine.LibTorch, pixels, 3, 3, [0], preActivation: false).Maps[0], twice.Maps[1], $"{name} conv1 asked for twice, against libtorch");
    }

    [Fact]
    public void TheTransformersColumnsThroughACursorAgreeBetweenTheEngines()
    {
        var model = models.DefaultClassifier;
        var (_, pixels, _) = models.Get(OnnxTestModels.Default);
        var view = SyntheticImages.Create(models.Ml, Images, classes: 10, value: (row, i) => pixels[row * 3072 + i]);
        var maps = models.Ml.Transforms.ExtractFeatureMaps(model, "Features", ["conv1", "conv2"]).Fit(view);
        float[][][] Columns(InferenceEngine engine)
        {
            model.Model.InferenceEngine = engine;
            try
            {
                var scored = model.Transform(view);
                var mapped = maps.Transform(view);
                return [DataViewColumns.ReadFloats(scored, "Score").SelectMany(r => r).ToArray().Chunk(10).ToArray(),
                    DataViewColumns.ReadFloats(mapped, "conv1"), DataViewColumns.ReadFloats(mapped, "conv2")];
            }
            finally
            {
                model.Model.InferenceEngine = InferenceEngine.Auto;
            }
        }
        var libTorch = Columns(InferenceEngine.LibTorch);
        var onnx = Columns(InferenceEngine.OnnxRuntime);
        string[] names = ["Score", "conv1", "conv2"];
        for (var c = 0; c < names.Length; c++)
        {
            Assert.Equal(Images, onnx[c].Length);
            AssertClose(libTorch[c].SelectMany(r => r).ToArray(), onnx[c].SelectMany(r => r).ToArray(), names[c] + " column");
        }
    }

    [Fact]
    public void OnnxRuntimeSessionsRunWithTheLibrarysThreadCountWhenever()
    {
        // The session options carry the count into ONNX Runtime (intra-op threads; one inter-op thread, sequential).
        using (var options = OnnxRuntimeForward.CreateSessionOptions(3))
        {
            Assert.Equal(3, options.IntraOpNumThreads);
            Assert.Equal(1, options.InterOpNumThreads);
        }

        // The library's threads option (TorchRuntime.Configure: the trainer's NumberOfThreads, the CLI's --threads)
        // reaches the sessions even when it changes after the first session was built.
        using var model = AttributionTestModels.SimpleCnn(seed: 7);
        model.InferenceEngine = InferenceEngine.OnnxRuntime;
        var images = AttributionTestModels.RandomValues(2 * model.Architecture.InputLength, seed: 3);
        var previous = TorchSharp.torch.get_num_threads();
        try
        {
            MlNetCnn.Training.TorchRuntime.Configure(seed: 1, numberOfThreads: 1);
            var oneThread = model.PredictProbabilities(images, 2);
            Assert.Equal([1], ((OnnxRuntimeForward)model.Engine).SessionThreads);
            // Scoring on another thread (a cursor's, a server's) keeps the count: it is the process's setting.
            var elsewhere = new Thread(() => model.PredictProbabilities(images, 2));
            elsewhere.Start();
            elsewhere.Join();
            Assert.Equal([1], ((OnnxRuntimeForward)model.Engine).SessionThreads);
            MlNetCnn.Training.TorchRuntime.Configure(seed: 1, numberOfThreads: 2);
            var twoThreads = model.PredictProbabilities(images, 2);
            Assert.Equal([1, 2], ((OnnxRuntimeForward)model.Engine).SessionThreads.Order());
            AssertClose(oneThread, twoThreads, "probabilities on 1 and on 2 threads");
        }
        finally
        {
            TorchSharp.torch.set_num_threads(previous);
        }
    }

    [Fact]
    public void OcclusionMapsAndFaithfulnessCurvesAgreeBetweenTheEngines()
    {
        var (model, pixels, _) = models.Get(OnnxTestModels.Default);
        const int count = 4;
        var images = pixels.AsSpan(0, count * 3072).ToArray();
        var targets = model.PredictClasses(images, count);
        var saliency = new Saliency().Attribute(model, images, targets);
        (AttributionMaps Occlusion, FaithfulnessCurves Curves) Explain(InferenceEngine engine)
        {
            model.InferenceEngine = engine;
            try
            {
                return (new Occlusion().Attribute(model, images, targets), Faithfulness.Measure(model, images, targets, saliency));
            }
            finally
            {
                model.InferenceEngine = InferenceEngine.Auto;
            }
        }
        var libTorch = Explain(InferenceEngine.LibTorch);
        var onnx = Explain(InferenceEngine.OnnxRuntime);
        AssertClose(libTorch.Occlusion.Values.ToArray(), onnx.Occlusion.Values.ToArray(), "occlusion maps");
        Assert.True(libTorch.Occlusion.Values.ToArray().Any(v => Math.Abs(v) > 1e-3), "the occlusion maps are all (near) zero: nothing was compared");
        for (var i = 0; i < count; i++)
        {
            AssertClose(libTorch.Curves.Deletion[i], onnx.Curves.Deletion[i], $"deletion curve {i}");
            AssertClose(libTorch.Curves.Insertion[i], onnx.Curves.Insertion[i], $"insertion curve {i}");
        }
    }

    [Theory]
    [InlineData(InferenceEngine.LibTorch)]
    [InlineData(InferenceEngine.OnnxRuntime)]
    public void EachEngineGivesTheSameBytesOnEveryRunAndFromAFreshSession(InferenceEngine engine)
    {
        var architecture = ConvNetArchitecture.Default;
        using var first = AttributionTestModels.SimpleCnn(seed: 7);
        using var second = AttributionTestModels.SimpleCnn(seed: 7);
        first.InferenceEngine = second.InferenceEngine = engine;
        var images = AttributionTestModels.RandomValues(70 * architecture.InputLength, seed: 3);
        var runs = new[] { first, first, second }.Select(m =>
        {
            var probabilities = new float[70 * 10];
            var maps = m.ConvLayers.Select(l => new float[70 * l.MapLength]).ToArray();
            m.Infer(images, 70, probabilities, [0, 1], maps);
            return probabilities.Concat(maps[0]).Concat(maps[1]).ToArray();
        }).ToArray();
        Assert.All(runs[0], v => Assert.True(float.IsFinite(v)));
        Assert.Equal(runs[0], runs[1]);
        Assert.Equal(runs[0], runs[2]);
        var occlusion = new[] { first, first, second }.Select(m => new Occlusion().Attribute(m, images.AsSpan(0, 2 * architecture.InputLength), [1, 2]).Values.ToArray()).ToArray();
        Assert.Equal(occlusion[0], occlusion[1]);
        Assert.Equal(occlusion[0], occlusion[2]);
    }

    [Fact]
    public void ADisposedModelRefusesWorkOnEitherEngineAndAnUnknownEngineIsRefused()
    {
        var model = AttributionTestModels.SimpleCnn();
        var image = new float[3072];
        model.PredictProbabilities(image, 1); // builds the ONNX Runtime session
        model.Dispose();
        foreach (var engine in new[] { InferenceEngine.OnnxRuntime, InferenceEngine.LibTorch })
        {
            model.InferenceEngine = engine;
            Assert.Throws<ObjectDisposedException>(() => model.PredictProbabilities(image, 1));
        }
        using var other = AttributionTestModels.SimpleCnn();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => other.InferenceEngine = (InferenceEngine)7);
        Assert.Contains("OnnxRuntime", error.Message);
    }

    [Fact]
    public void DisposingWhileOtherThreadsScoreEndsTheirWorkWithoutACrash()
    {
        var model = AttributionTestModels.SimpleCnn();
        var images = AttributionTestModels.RandomValues(64 * 3072, seed: 5);
        model.PredictProbabilities(images, 64);
        var started = new CountdownEvent(2);
        var outcomes = new string[2];
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            started.Signal();
            try
            {
                for (var i = 0; i < 10_000; i++) model.PredictProbabilities(images, 64);
                outcomes[t] = "finished";
            }
            catch (ObjectDisposedException)
            {
                outcomes[t] = "disposed";
            }
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        started.Wait();
        Thread.Sleep(50);
        model.Dispose();
        foreach (var thread in threads) Assert.True(thread.Join(TimeSpan.FromMinutes(2)));
        Assert.All(outcomes, o => Assert.Equal("disposed", o));
    }

    private static (float[] Probabilities, float[][] Maps) Run(TrainedCnn model, InferenceEngine engine, float[] pixels, int count, int batch,
        int[] layers, bool preActivation)
    {
        var a = model.Architecture;
        var probabilities = new float[count * a.ClassCount];
        var maps = layers.Select(l => new float[count * model.ConvLayers[l].MapLength]).ToArray();
        model.InferenceEngine = engine;
        try
        {
            for (var start = 0; start < count; start += batch)
            {
                var n = Math.Min(batch, count - start);
                var p = new float[n * a.ClassCount];
                var m = layers.Select(l => new float[n * model.ConvLayers[l].MapLength]).ToArray();
                model.Infer(pixels.AsSpan(start * a.InputLength, n * a.InputLength), n, p, layers, m, preActivation);
                p.CopyTo(probabilities, start * a.ClassCount);
                for (var l = 0; l < layers.Length; l++) m[l].CopyTo(maps[l], start * model.ConvLayers[layers[l]].MapLength);
            }
        }
        finally
        {
            model.InferenceEngine = InferenceEngine.Auto;
        }
        return (probabilities, maps);
    }

    private static void AssertClose(IReadOnlyList<float> expected, IReadOnlyList<float> actual, string what) =>
        AssertClose(expected.Select(v => (double)v).ToArray(), actual.Select(v => (double)v).ToArray(), what);

    private static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        var worst = 0.0;
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(double.IsFinite(expected[i]) && double.IsFinite(actual[i]), $"{what}: value {i} is {expected[i]} on libtorch, {actual[i]} on ONNX Runtime");
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }
        Assert.True(worst <= Tolerance, $"{what}: the engines differ by up to {worst:E2} (tolerance {Tolerance:E0})");
    }
}
