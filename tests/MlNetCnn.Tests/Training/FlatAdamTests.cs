using MlNetCnn.Model;
using MlNetCnn.Training;
using static TorchSharp.torch;

namespace MlNetCnn.Tests.Training;

public class FlatAdamTests
{
    private static SimpleCnn NewModel()
    {
        var model = new SimpleCnn(ConvNetArchitecture.Default);
        SeededInitialization.Apply(model, 3);
        return model;
    }

    private static float[] Weights(nn.Module<Tensor, Tensor> model) =>
        model.parameters().SelectMany(p => TensorData.ToArray(p)).ToArray();

    /// <summary>
    /// One step from the same weights and gradients: the flat update equals TorchSharp's per-parameter Adam up to float32
    /// rounding. How often the two round differently depends on the CPU, since libtorch picks its vector kernel by it
    /// (~3 weights in 10,000 with AVX2, where only its square root differs; ~7 in 1,000 with AVX-512, which orders the
    /// update's operations otherwise); each difference stays within 1e-5 of that weight's step plus the weight's last
    /// place. A wrong β, bias correction or ε moves steps by far more (and the float64 test below pins the formula).
    /// </summary>
    [Fact]
    public void OneStepEqualsTorchSharpsAdamUpToFloat32Rounding()
    {
        var generator = new Random(11);
        var images = Enumerable.Range(0, 4 * 3072).Select(_ => (float)generator.NextDouble()).ToArray();
        var labels = new long[] { 1, 4, 7, 9 };
        using var reference = NewModel();
        using var flat = NewModel();
        using var adam = optim.Adam(reference.parameters(), lr: 0.001);
        using var flatAdam = new FlatAdam(flat.named_parameters(), 0.001);
        using (var scope = NewDisposeScope())
        {
            adam.zero_grad();
            nn.functional.cross_entropy(reference.call(TensorData.FromSpan(images, 4, 3, 32, 32)), tensor(labels)).backward();
            // Both optimizers step on the very same gradients: a second backward pass may sum in another order (threads
            // set by a test running beside this one), which would make this a test of libtorch's reductions, not of Adam.
            flatAdam.ZeroGrad();
            using (no_grad())
            {
                foreach (var (mine, theirs) in flat.parameters().Zip(reference.parameters()))
                    mine.grad!.copy_(theirs.grad!);
            }
            adam.step();
            flatAdam.Step();
        }

        var before = Weights(NewModel());
        var expected = Weights(reference);
        var actual = Weights(flat);
        var moved = expected.Zip(before).Count(t => t.First != t.Second);
        Assert.True(moved > expected.Length / 10, $"the step moved only {moved} of {expected.Length} weights");
        var differing = Enumerable.Range(0, expected.Length).Where(i => expected[i] != actual[i]).ToArray();
        Assert.True(differing.Length <= expected.Length / 50, $"{differing.Length} of {expected.Length} weights differ: more than rounding");
        foreach (var i in differing)
        {
            var step = Math.Abs((double)expected[i] - before[i]);
            var lastPlace = Math.Abs((double)MathF.BitIncrement(Math.Abs(expected[i])) - Math.Abs(expected[i]));
            Assert.True(Math.Abs((double)expected[i] - actual[i]) <= 1e-5 * step + lastPlace,
                $"weight {i}: {expected[i]} against {actual[i]} after a step of {step}");
        }
    }

    /// <summary>
    /// Three hundred steps on a fixed sequence of gradients (so a rounding cannot change what comes next): the flat
    /// float32 update follows Adam computed in float64 to within float32 rounding, and so does TorchSharp's Adam.
    /// </summary>
    [Fact]
    public void ThreeHundredStepsOnFixedGradientsFollowAFloat64Adam()
    {
        const int steps = 300, length = 1003; // not a multiple of the vector width: the scalar tail runs too
        const double lr = 0.001;
        var generator = new Random(5);
        var start = Enumerable.Range(0, length).Select(_ => (float)(generator.NextDouble() - 0.5)).ToArray();
        // Gradients over six orders of magnitude, with zeros, as real ones are.
        var gradients = Enumerable.Range(0, steps).Select(_ => Enumerable.Range(0, length)
            .Select(i => i % 17 == 0 ? 0f : (float)((generator.NextDouble() - 0.5) * Math.Pow(10, -generator.Next(7)))).ToArray()).ToArray();

        // Adam in float64, from its definition (Kingma & Ba 2015, as torch.optim.Adam computes it).
        var expected = start.Select(w => (double)w).ToArray();
        var (m, v) = (new double[length], new double[length]);
        for (var t = 1; t <= steps; t++)
        {
            for (var i = 0; i < length; i++)
            {
                var g = (double)gradients[t - 1][i];
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                expected[i] -= lr / (1 - Math.Pow(0.9, t)) * m[i] / (Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(0.999, t)) + 1e-8);
            }
        }

        float[] Run(bool flat)
        {
            using var parameter = new TorchSharp.Modules.Parameter(tensor(start));
            using var flatAdam = flat ? new FlatAdam([("w", parameter)], lr) : null;
            using var torchAdam = flat ? null : optim.Adam([parameter], lr: lr);
            foreach (var g in gradients)
            {
                using var scope = NewDisposeScope();
                if (flat)
                {
                    flatAdam!.ZeroGrad();
                    using (no_grad()) parameter.grad!.copy_(tensor(g));
                    flatAdam.Step();
                }
                else
                {
                    parameter.grad = tensor(g);
                    torchAdam!.step();
                }
            }
            return TensorData.ToArray(parameter);
        }

        foreach (var (name, actual) in new[] { ("FlatAdam", Run(flat: true)), ("TorchSharp's Adam", Run(flat: false)) })
        {
            for (var i = 0; i < length; i++)
            {
                var moved = Math.Abs(expected[i] - start[i]);
                Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-6 * Math.Abs(expected[i]) + 1e-4 * moved + 1e-9,
                    $"{name}, weight {i}: {actual[i]} against float64 {expected[i]} (moved {moved})");
            }
        }
    }

    [Fact]
    public void ParametersAreViewsOfOneBufferWhileTrainingAndOwnTheirStorageAfterwards()
    {
        using var model = NewModel();
        var before = Weights(model);
        using (var adam = new FlatAdam(model.named_parameters(), 0.001))
        {
            Assert.Equal(before, Weights(model));
            using var scope = NewDisposeScope();
            var first = model.parameters().First();
            var last = model.parameters().Last();
            Assert.Equal(first.storage<float>().data_ptr(), last.storage<float>().data_ptr());
            adam.ZeroGrad();
            nn.functional.cross_entropy(model.call(rand(2, 3, 32, 32)), tensor(new long[] { 1, 2 })).backward();
            adam.Step();
            Assert.Null(adam.FirstNonFiniteParameter());
        }
        var parameters = model.parameters().ToArray();
        Assert.NotEqual(parameters[0].storage<float>().data_ptr(), parameters[^1].storage<float>().data_ptr());
        Assert.NotEqual(before, Weights(model));
    }

    [Fact]
    public void NonFiniteWeightIsNamed()
    {
        using var model = NewModel();
        using var adam = new FlatAdam(model.named_parameters(), 0.001);
        using (no_grad()) model.named_parameters().Single(p => p.name == "fc1.bias").parameter[3] = float.NaN;
        Assert.Equal("fc1.bias", adam.FirstNonFiniteParameter());
    }
}
