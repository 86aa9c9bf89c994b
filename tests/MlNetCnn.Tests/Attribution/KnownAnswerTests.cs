using MlNetCnn.Attribution;
using MlNetCnn.Experiments;
using MlNetCnn.Tests.Experiments;
using MlNetCnn.Tests.TestSupport;
using Xunit.Abstractions;

namespace MlNetCnn.Tests.Attribution;

/// <summary>Each gradient method against its closed form on a linear model, and Integrated Gradients' completeness on the SimpleCNN.</summary>
[Collection(TorchSerialCollection.Name)]
public class KnownAnswerTests(ITestOutputHelper output)
{
    private const int Channels = 2, Height = 3, Width = 4, Classes = 3, Length = Channels * Height * Width;

    private static (AttributionModel Model, float[] Weights, float[] Images, int[] Targets) LinearCase()
    {
        var weights = AttributionTestModels.RandomValues(Classes * Length, seed: 7).Select(v => 2 * v - 1).ToArray();
        var model = AttributionTestModels.Linear(weights, new[] { 0.5f, -1f, 2f }, Channels, Height, Width);
        var images = AttributionTestModels.RandomValues(4 * Length, seed: 8);
        return (model, weights, images, new[] { 0, 2, 1, 2 });
    }

    [Fact]
    public void IntegratedGradientsOnALinearModelIsInputMinusBaselineTimesWeight()
    {
        var (model, weights, images, targets) = LinearCase();
        var method = new IntegratedGradients { Baseline = 0.25f, Steps = 7 };
        var maps = method.Attribute(model, images, targets);

        Assert.Equal(new[] { Channels, Height, Width }, maps.Dimensions);
        for (var i = 0; i < targets.Length; i++)
            for (var p = 0; p < Length; p++)
            {
                var expected = ((double)images[i * Length + p] - 0.25) * weights[targets[i] * Length + p];
                Assert.True(Math.Abs(maps.Map(i)[p] - expected) < 1e-5, $"image {i} value {p}: {maps.Map(i)[p]} vs {expected}");
            }
        // Linear: the path integral is exact at any step count, so completeness holds to float precision.
        Assert.All(method.CompletenessErrors(model, images, targets, maps), e => Assert.InRange(e, 0, 1e-4));
    }

    [Fact]
    public void GradientTimesInputAndSaliencyOnALinearModelAreInputTimesWeightAndAbsoluteWeight()
    {
        var (model, weights, images, targets) = LinearCase();
        var product = new GradientTimesInput().Attribute(model, images, targets);
        var saliency = new Saliency().Attribute(model, images, targets);
        // With a zero baseline Integrated Gradients must agree with gradient × input on a linear model.
        var integrated = new IntegratedGradients { Steps = 3 }.Attribute(model, images, targets);
        for (var i = 0; i < targets.Length; i++)
            for (var p = 0; p < Length; p++)
            {
                var w = (double)weights[targets[i] * Length + p];
                Assert.True(Math.Abs(product.Map(i)[p] - images[i * Length + p] * w) < 1e-6, $"gradient × input at {i},{p}");
                Assert.True(Math.Abs(saliency.Map(i)[p] - Math.Abs(w)) < 1e-6, $"saliency at {i},{p}");
                Assert.True(Math.Abs(integrated.Map(i)[p] - product.Map(i)[p]) < 1e-5, $"IG vs gradient × input at {i},{p}");
            }
    }

    [Fact]
    public void IntegratedGradientsIsCompleteWithinOnePercentAtSixtyFourStepsOnTheSimpleCnn()
    {
        // A SimpleCNN trained briefly on real images, explained for the class it predicts: the logit changes by a
        // meaningful amount between the black baseline and the image, so a relative error is meaningful too.
        using var context = ExperimentContext.FromCifar10(SharedData.CifarDirectory,
            new ExperimentBudget { TrainImages = 600, TestImages = 8, Training = new() { Epochs = 1 } });
        var model = context.Model;
        var images = context.TestPixels;
        var count = context.Test.Count;
        var classes = model.Architecture.ClassCount;
        var probabilities = model.PredictProbabilities(images, count);
        var targets = Enumerable.Range(0, count).Select(i => Enumerable.Range(0, classes).MaxBy(c => probabilities[i * classes + c])).ToArray();
        var method = new IntegratedGradients { Steps = 64 };

        var maps = method.Attribute(model, images, targets);
        var errors = method.CompletenessErrors(model, images, targets, maps);

        output.WriteLine($"IG completeness errors at 64 steps: {string.Join(", ", errors.Select(e => e.ToString("P3")))}");
        Assert.All(errors, e => Assert.True(e < 0.01, $"completeness error {e:P3}; all: {string.Join(", ", errors.Select(x => x.ToString("P3")))}"));
        Assert.All(maps.Values, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void BadArgumentsNameWhatIsWrongBeforeAnyWork()
    {
        using var model = AttributionTestModels.SimpleCnn();
        var image = new float[model.Architecture.InputLength];
        var wrongClass = Assert.Throws<ArgumentOutOfRangeException>(() => new Saliency().Attribute(model, image, new[] { 10 }));
        Assert.Contains("0-based", wrongClass.Message);
        var wrongLength = Assert.Throws<ArgumentException>(() => new Saliency().Attribute(model, image, new[] { 0, 1 }));
        Assert.Contains("3072", wrongLength.Message);
        var layer = Assert.Throws<ArgumentException>(() => new GradCam { Layer = "conv9" }.Attribute(model, image, new[] { 0 }));
        Assert.Contains("conv1, conv2", layer.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new IntegratedGradients { Steps = 0 }.Attribute(model, image, new[] { 0 }));
        Assert.Throws<KeyNotFoundException>(() => AttributionRegistry.Default.Create("lime"));
    }
}
