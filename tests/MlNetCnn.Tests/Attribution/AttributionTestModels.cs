using MlNetCnn.Attribution;
using MlNetCnn.Model;
using MlNetCnn.Tests.Experiments;
using static TorchSharp.torch;

namespace MlNetCnn.Tests.Attribution;

/// <summary>Models and images with known answers for the attribution tests.</summary>
internal static class AttributionTestModels
{
    /// <summary>
    /// logits = W·x + b on flattened C×H×W images: every gradient method has a closed-form answer
    /// (d logit_k / d x = W[k]).
    /// </summary>
    public static AttributionModel Linear(float[] weights, float[] bias, int channels, int height, int width)
    {
        var classes = bias.Length;
        var w = tensor(weights, new long[] { classes, channels * height * width });
        var b = tensor(bias);
        return new AttributionModel(
            (x, _) => new SimpleCnnOutput(x.flatten(1).matmul(w.t()) + b, Array.Empty<Tensor>(), Array.Empty<Tensor>()),
            channels, height, width, classes, Array.Empty<ConvLayerShape>());
    }

    /// <summary>The seed's SimpleCNN (3×32×32, conv 6, 12) with seeded random weights.</summary>
    public static TrainedCnn SimpleCnn(int seed = 1) => ExperimentTestModels.Untrained(new ConvNetArchitecture(), seed);

    /// <summary>Uniform [0,1) values from a seeded generator.</summary>
    public static float[] RandomValues(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)random.NextDouble()).ToArray();
    }
}
