using MlNetCnn.Attribution;
using MlNetCnn.Model;
using MlNetCnn.Tests.Experiments;
using static TorchSharp.torch;

namespace MlNetCnn.Tests.Attribution;

/// <summary>
/// <see cref="GradCam"/> and <see cref="Occlusion"/> give the numbers of independent reference implementations written
/// here in a different shape (Grad-CAM straight from activations and gradients with a fixed batch, occlusion one image at
/// a time through <see cref="TrainedCnn.PredictProbabilities"/>); an independent PyTorch twin agreed with these references
/// within 1.3e-5.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public class ReferenceImplementationTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void GradCamMatchesTheReferenceImplementation(int layerIndex)
    {
        using var model = AttributionTestModels.SimpleCnn(seed: 4);
        const int count = 5;
        var images = AttributionTestModels.RandomValues(count * model.Architecture.InputLength, seed: 9);
        var classes = new[] { 1, 2, 3, 4, 5 };

        var expected = ReferenceGradCam(model, images, count, layerIndex, classes, batchSize: 2);
        var actual = new GradCam { Layer = model.ConvLayers[layerIndex].Name, BatchSize = 3 }.Attribute(model, images, classes);

        Assert.True(expected.Max() > 0);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual.Values[i]) < 1e-6, $"value {i}: {actual.Values[i]} vs {expected[i]}");
    }

    [Fact]
    public void OcclusionMatchesTheReferenceImplementation()
    {
        using var model = AttributionTestModels.SimpleCnn(seed: 5);
        const int count = 2;
        var length = model.Architecture.InputLength;
        var images = AttributionTestModels.RandomValues(count * length, seed: 10);
        var classes = new[] { 6, 7 };

        var actual = new Occlusion { PatchSize = 6, Stride = 3, Fill = 0.25f }.Attribute(model, images, classes);

        for (var i = 0; i < count; i++)
        {
            var expected = ReferenceOcclusion(model, images.AsSpan(i * length, length), classes[i], patchSize: 6, stride: 3, fill: 0.25f);
            Assert.True(expected.Max(Math.Abs) > 0);
            for (var p = 0; p < expected.Length; p++)
                Assert.True(Math.Abs(expected[p] - actual.Map(i)[p]) < 1e-6, $"image {i} pixel {p}: {actual.Map(i)[p]} vs {expected[p]}");
        }
    }

    // Grad-CAM (Selvaraju et al. 2017) as the formula reads: channel weights = mean gradient, ReLU of the weighted sum,
    // bilinear upsampling, scaled to a maximum of 1. Kept independent of GradCam so the two can disagree.
    private static float[] ReferenceGradCam(TrainedCnn model, float[] images, int count, int layerIndex, IReadOnlyList<int> classes, int batchSize)
    {
        var a = model.Architecture;
        var (height, width) = (a.InputHeight, a.InputWidth);
        var length = a.InputLength;
        var result = new float[count * height * width];
        model.Network.eval();
        for (var start = 0; start < count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var n = Math.Min(batchSize, count - start);
            var input = tensor(images.AsSpan(start * length, n * length).ToArray(), new long[] { n, a.InputChannels, height, width });
            using var output = model.Network.Forward(input, captureActivations: true);
            var activation = output.Activations[layerIndex];
            var index = tensor(classes.Skip(start).Take(n).Select(c => (long)c).ToArray()).unsqueeze(1);
            var score = output.Logits.gather(1, index).sum();
            var gradient = autograd.grad(new[] { score }, new[] { activation })[0];
            Tensor cam;
            using (no_grad())
            {
                var weights = gradient.mean(new long[] { 2, 3 }, keepdim: true);
                cam = nn.functional.relu((weights * activation).sum(1, keepdim: true));
                cam = nn.functional.interpolate(cam, new long[] { height, width }, mode: InterpolationMode.Bilinear, align_corners: false);
                var max = cam.amax(new long[] { 2, 3 }, keepdim: true);
                cam = where(max > 0, cam / max.clamp_min(1e-12), zeros_like(cam));
            }
            TensorData.ToArray(cam.detach()).CopyTo(result, start * height * width);
        }
        return result;
    }

    // Occlusion as the definition reads: the drop in the class probability for each patch position, averaged over the
    // positions covering each pixel. Kept independent of Occlusion so the two can disagree.
    private static float[] ReferenceOcclusion(TrainedCnn model, ReadOnlySpan<float> image, int classIndex, int patchSize, int stride, float fill)
    {
        var a = model.Architecture;
        var (channels, height, width) = (a.InputChannels, a.InputHeight, a.InputWidth);
        var length = channels * height * width;
        var classes = a.ClassCount;
        var rows = Positions(height, patchSize, stride);
        var cols = Positions(width, patchSize, stride);
        var positions = rows.SelectMany(r => cols.Select(c => (r, c))).ToArray();
        var original = image.ToArray();
        var baseProbability = model.PredictProbabilities(original, 1)[classIndex];
        var sum = new double[height * width];
        var cover = new int[height * width];
        const int batch = 64;
        var buffer = new float[batch * length];
        for (var start = 0; start < positions.Length; start += batch)
        {
            var n = Math.Min(batch, positions.Length - start);
            for (var j = 0; j < n; j++)
            {
                var (top, left) = positions[start + j];
                var target = buffer.AsSpan(j * length, length);
                original.CopyTo(target);
                for (var c = 0; c < channels; c++)
                    for (var y = top; y < top + patchSize; y++)
                        target.Slice(c * height * width + y * width + left, patchSize).Fill(fill);
            }
            var probabilities = model.PredictProbabilities(buffer.AsSpan(0, n * length), n);
            for (var j = 0; j < n; j++)
            {
                var drop = baseProbability - probabilities[j * classes + classIndex];
                var (top, left) = positions[start + j];
                for (var y = top; y < top + patchSize; y++)
                    for (var x = left; x < left + patchSize; x++)
                    {
                        sum[y * width + x] += drop;
                        cover[y * width + x]++;
                    }
            }
        }
        var map = new float[height * width];
        for (var p = 0; p < map.Length; p++) map[p] = cover[p] > 0 ? (float)(sum[p] / cover[p]) : 0f;
        return map;
    }

    private static int[] Positions(int size, int patch, int stride)
    {
        var positions = new List<int>();
        for (var p = 0; p + patch <= size; p += stride) positions.Add(p);
        if (positions[^1] != size - patch) positions.Add(size - patch);
        return positions.ToArray();
    }
}
