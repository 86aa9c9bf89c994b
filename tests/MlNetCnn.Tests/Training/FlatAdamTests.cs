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
    /// Same batches, same initial weights: 300 steps with TorchSharp's per-parameter Adam and 300 with the flat one
    /// give the same weights, value for value (the flat update performs the same float operations per element).
    /// </summary>
    [Fact]
    public void FlatAdamGivesTheWeightsOfTorchSharpsAdamAfterHundredsOfSteps()
    {
        const int steps = 300;
        var generator = new Random(11);
        var batches = Enumerable.Range(0, steps).Select(_ => (
            Images: Enumerable.Range(0, 4 * 3072).Select(_ => (float)generator.NextDouble()).ToArray(),
            Labels: Enumerable.Range(0, 4).Select(_ => (long)generator.Next(10)).ToArray())).ToArray();
        using var reference = NewModel();
        using var flat = NewModel();
        Assert.Equal(Weights(reference), Weights(flat));

        using (var adam = optim.Adam(reference.parameters(), lr: 0.001))
        {
            foreach (var (images, labels) in batches)
            {
                using var scope = NewDisposeScope();
                adam.zero_grad();
                nn.functional.cross_entropy(reference.call(TensorData.FromSpan(images, 4, 3, 32, 32)), tensor(labels)).backward();
                adam.step();
            }
        }
        using (var adam = new FlatAdam(flat.named_parameters(), 0.001))
        {
            foreach (var (images, labels) in batches)
            {
                using var scope = NewDisposeScope();
                adam.ZeroGrad();
                nn.functional.cross_entropy(flat.call(TensorData.FromSpan(images, 4, 3, 32, 32)), tensor(labels)).backward();
                adam.Step();
            }
        }

        var expected = Weights(reference);
        var actual = Weights(flat);
        Assert.NotEqual(Weights(NewModel()), expected); // training moved the weights
        Assert.Equal(expected, actual);
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
