using System.Diagnostics;
using MlNetCnn.FeatureVisualization;
using MlNetCnn.Model;
using Xunit.Abstractions;

namespace MlNetCnn.Tests.FeatureVisualization;

/// <summary>
/// Checks that can fail: the closed form for conv1 (the fixed-norm optimum of w·x + b is x ∝ w), every live channel's
/// picture against its best test-split crop (the explorer's top-1), determinism by seed, and that the reported
/// activations are the model's own (recomputed by <see cref="TrainedCnn.GetFeatureMaps"/>).
/// </summary>
public sealed class FeatureVisualizerTests(FeatureVisualizationModels models, ITestOutputHelper output) : IClassFixture<FeatureVisualizationModels>
{
    [Theory]
    [MemberData(nameof(FeatureVisualizationModels.Names), MemberType = typeof(FeatureVisualizationModels))]
    public void Conv1FixedNormCentreUnitIsItsKernel(string name)
    {
        var (model, _) = models.Get(name);
        var a = model.Architecture;
        var layer = model.GetLayer("conv1");
        var result = new FeatureVisualizer { Parameterization = FeatureParameterization.FixedNorm }.Visualize(model, "conv1");
        var (row, column) = result.Unit!.Value;
        var (r0, r1) = ReceptiveFields.Window(a, 0, row);
        var (c0, c1) = ReceptiveFields.Window(a, 0, column);
        Assert.True(r0 >= 0 && c0 >= 0 && r1 < a.InputHeight && c1 < a.InputWidth, $"the centre unit ({row},{column})'s field lies inside the image");
        var (weights, _) = model.GetKernels("conv1");
        var k = layer.KernelSize;
        foreach (var channel in result.Channels)
        {
            double dot = 0, inside = 0, kernel = 0, total = 0;
            for (var c = 0; c < a.InputChannels; c++)
                for (var y = 0; y < a.InputHeight; y++)
                    for (var x = 0; x < a.InputWidth; x++)
                    {
                        double v = channel.Picture[(c * a.InputHeight + y) * a.InputWidth + x];
                        total += v * v;
                        if (y < r0 || y > r1 || x < c0 || x > c1) continue;
                        double w = weights[((channel.Channel * a.InputChannels + c) * k + (y - r0)) * k + (x - c0)];
                        (dot, inside, kernel) = (dot + v * w, inside + v * v, kernel + w * w);
                    }

            var cosine = dot / Math.Sqrt(inside * kernel);
            output.WriteLine($"{name} conv1 channel {channel.Channel}: cosine {cosine:F5}, norm outside the field {Math.Sqrt(Math.Max(0, total - inside)):E2} of {Math.Sqrt(total):F3}");
            Assert.True(cosine >= 0.99, $"{name} conv1 channel {channel.Channel}: cosine with its kernel {cosine} < 0.99");
            Assert.True(Math.Abs(Math.Sqrt(total) - FeatureVisualizer.Defaults.Norm) < 1e-4, $"the input keeps its norm: {Math.Sqrt(total)}");
            Assert.True(total - inside <= 1e-4 * total, $"{name} conv1 channel {channel.Channel}: {total - inside} of {total} squared norm lies outside the receptive field");
        }
    }

    [Theory]
    [MemberData(nameof(FeatureVisualizationModels.Names), MemberType = typeof(FeatureVisualizationModels))]
    public void EveryLiveChannelsPictureBeatsItsBestTestCrop(string name)
    {
        var (model, test) = models.Get(name);
        int live = 0, beaten = 0;
        foreach (var layer in model.ConvLayers)
        {
            var best = BestTestActivations(model, layer, test);
            var watch = Stopwatch.StartNew();
            var result = new FeatureVisualizer().Visualize(model, layer.Name);
            output.WriteLine($"{name} {layer.Name}: {layer.OutChannels} channels in {watch.Elapsed.TotalSeconds:F1} s");
            foreach (var channel in result.Channels)
            {
                var crop = best[channel.Channel];
                output.WriteLine($"  channel {channel.Channel}: picture {channel.Activation:F3} (pre {channel.PreActivation:F3}), best test crop {crop:F3}");
                Assert.All(channel.Picture, v => Assert.InRange(v, 0f, 1f));
                if (!(crop > 0)) continue; // a dead channel: no test image excites it
                live++;
                if (channel.Activation >= crop) beaten++;
            }
        }

        output.WriteLine($"{name}: {beaten} of {live} live channels reached at least their best test crop");
        Assert.True(live > 0);
        Assert.True(beaten >= 0.95 * live, $"{name}: only {beaten} of {live} live channels reached their best test crop's activation");
    }

    [Fact]
    public void TheReportedActivationIsTheModelsOwnOnThePicture()
    {
        var model = models.DefaultClassifier.Model;
        foreach (var objective in new[] { FeatureObjective.CentreUnit, FeatureObjective.MapMean })
        {
            var result = new FeatureVisualizer { Objective = objective, Steps = 40 }.Visualize(model, "conv2");
            foreach (var channel in result.Channels)
            {
                var pre = model.GetFeatureMaps(channel.Picture, "conv2", preActivation: true);
                var post = model.GetFeatureMaps(channel.Picture, "conv2");
                var (expectedPre, expectedPost) = result.Unit is { } u
                    ? (pre[channel.Channel, u.Row, u.Column], post[channel.Channel, u.Row, u.Column])
                    : (FeatureVisualizerShapeTests.MeanOf(pre, channel.Channel), FeatureVisualizerShapeTests.MeanOf(post, channel.Channel));
                Assert.Equal(expectedPre, channel.PreActivation, 1e-4);
                Assert.Equal(expectedPost, channel.Activation, 1e-4);
            }
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameBytesAndAnotherSeedAnotherPictureOfSimilarActivation()
    {
        var model = models.DefaultClassifier.Model;
        var first = new FeatureVisualizer { Seed = 7 }.Visualize(model, "conv2");
        var again = new FeatureVisualizer { Seed = 7 }.Visualize(model, "conv2");
        var other = new FeatureVisualizer { Seed = 8 }.Visualize(model, "conv2");
        for (var i = 0; i < first.Channels.Count; i++)
        {
            Assert.Equal(first.Channels[i].Picture, again.Channels[i].Picture);
            Assert.Equal(first.Channels[i].Activation, again.Channels[i].Activation);
            var (p, q) = (first.Channels[i].Picture, other.Channels[i].Picture);
            var rms = Math.Sqrt(p.Zip(q, (x, y) => (double)(x - y) * (x - y)).Average());
            var (a1, a2) = (first.Channels[i].Activation, other.Channels[i].Activation);
            output.WriteLine($"channel {i}: rms difference {rms:F3}; activation {a1:F3} vs {a2:F3}");
            Assert.True(rms > 0.01, $"channel {i}: seeds 7 and 8 gave nearly the same picture (rms difference {rms})");
            Assert.True(Math.Abs(a1 - a2) <= 0.2 * Math.Max(Math.Abs(a1), Math.Abs(a2)) + 0.05, $"channel {i}: activations {a1} and {a2} differ by more than 20%");
        }
    }

    [Fact]
    public void EachClassPicturesLogitBeatsTheBestTestImages()
    {
        var (model, test) = models.Get("default");
        var result = new FeatureVisualizer().Visualize(model, FeatureVisualizer.LogitsTarget);
        Assert.Equal(model.ClassNames.Count, result.Channels.Count);
        Assert.Null(result.Unit);
        var pictures = Logits(model, result.Channels.SelectMany(c => c.Picture).ToArray());
        var tests = Logits(model, test);
        var classes = model.ClassNames.Count;
        var beaten = 0;
        foreach (var channel in result.Channels)
        {
            var c = channel.Channel;
            var best = Enumerable.Range(0, tests.Length / classes).Max(i => tests[i * classes + c]);
            Assert.Equal(pictures[c * classes + c], channel.Activation, 1e-4);
            output.WriteLine($"class {c} ({model.ClassNames[c]}): picture logit {channel.Activation:F3}, best test image {best:F3}");
            if (channel.Activation >= best) beaten++;
        }

        Assert.True(beaten >= 0.95 * classes, $"only {beaten} of {classes} class pictures reached the best test image's logit");
    }

    [Fact]
    public void ProgressReachesOneAndACancelledTokenStops()
    {
        var model = models.DefaultClassifier.Model;
        var reports = new List<double>();
        new FeatureVisualizer { Steps = 5 }.Visualize(model, "conv1", new SynchronousProgress<double>(reports.Add));
        Assert.Equal([0.2, 0.4, 0.6, 0.8, 1.0], reports.Select(r => Math.Round(r, 6)));

        using var source = new CancellationTokenSource();
        var steps = 0;
        var progress = new SynchronousProgress<double>(_ => { if (++steps == 3) source.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => new FeatureVisualizer { Steps = 1000 }.Visualize(model, "conv1", progress, source.Token));
        Assert.Equal(3, steps);
    }

    [Fact]
    public void BadArgumentsAreRefusedBeforeAnyWork()
    {
        var model = models.DefaultClassifier.Model;
        var unknown = Assert.Throws<ArgumentException>(() => new FeatureVisualizer().Visualize(model, "conv9"));
        Assert.Contains("conv1, conv2", unknown.Message);
        Assert.Equal("Steps", Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureVisualizer { Steps = 0 }.Visualize(model, "conv1")).ParamName);
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureVisualizer { LearningRate = double.NaN }.Visualize(model, "conv1")).ParamName);
        Assert.Equal("Norm", Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureVisualizer { Norm = 0 }.Visualize(model, "conv1")).ParamName);
        Assert.Equal("Jitter", Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureVisualizer { Jitter = -1 }.Visualize(model, "conv1")).ParamName);
        Assert.Equal("TotalVariation", Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureVisualizer { TotalVariation = -1 }.Visualize(model, "conv1")).ParamName);
    }

    /// <summary>
    /// Per channel, the largest activation over the test split among units whose receptive field lies inside the image:
    /// the explorer's top-1 ("what it responds to"), by the same search.
    /// </summary>
    private static float[] BestTestActivations(TrainedCnn model, ConvLayerShape layer, float[] test)
    {
        var a = model.Architecture;
        var candidates = StrongestUnits.InsideUnits(a, layer);
        var area = layer.OutHeight * layer.OutWidth;
        var best = Enumerable.Repeat(float.NegativeInfinity, layer.OutChannels).ToArray();
        var count = test.Length / a.InputLength;
        const int Batch = 128;
        var maps = new float[Batch * layer.MapLength];
        for (var start = 0; start < count; start += Batch)
        {
            var n = Math.Min(Batch, count - start);
            var batch = new float[n * layer.MapLength];
            model.Infer(test.AsSpan(start * a.InputLength, n * a.InputLength), n, null, [layer.Index], [batch]);
            for (var i = 0; i < n; i++)
                for (var ch = 0; ch < layer.OutChannels; ch++)
                    best[ch] = Math.Max(best[ch], StrongestUnits.Strongest(batch.AsSpan((i * layer.OutChannels + ch) * area, area), candidates).Value);
        }

        return best;
    }

    // Logits straight from the network (TrainedCnn gives probabilities only), [N × classes].
    private static float[] Logits(TrainedCnn model, float[] images)
    {
        var a = model.Architecture;
        var count = images.Length / a.InputLength;
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var noGrad = TorchSharp.torch.no_grad();
        var input = TensorData.FromSpan(images, count, a.InputChannels, a.InputHeight, a.InputWidth);
        using var output = model.Network.Forward(input, captureActivations: false);
        return TensorData.ToArray(output.Logits);
    }
}
