using static TorchSharp.torch;

namespace MlNetCnn.Model;

/// <summary>
/// Draws a module's initial weights from a private generator seeded explicitly, with PyTorch's default distribution
/// for Conv2d and Linear (weights and biases uniform in ±1/√fan_in, which is what kaiming_uniform(a=√5) gives).
/// Seeding libtorch's process-wide generator is not enough: any other thread that draws random numbers between the
/// seeding and the construction (a parallel test, another pipeline) changes the weights.
/// </summary>
internal static class SeededInitialization
{
    public static void Apply(nn.Module module, int seed)
    {
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (_, child) in module.named_modules())
        {
            switch (child)
            {
                case TorchSharp.Modules.Conv2d conv:
                    Fill(conv.weight!, conv.bias, FanIn(conv.weight!), generator);
                    break;
                case TorchSharp.Modules.Linear linear:
                    Fill(linear.weight!, linear.bias, FanIn(linear.weight!), generator);
                    break;
            }
        }
    }

    // fan_in = input channels × kernel area for a conv weight [out, in, k, k]; input features for a linear [out, in].
    private static long FanIn(Tensor weight) => weight.shape.Skip(1).Aggregate(1L, (a, b) => a * b);

    private static void Fill(Tensor weight, Tensor? bias, long fanIn, Generator generator)
    {
        var bound = 1.0 / Math.Sqrt(fanIn);
        weight.uniform_(-bound, bound, generator);
        bias?.uniform_(-bound, bound, generator);
    }
}
