using System.Diagnostics;
using MlNetCnn.Model;
using MlNetCnn.Training;
using static TorchSharp.torch;

namespace MlNetCnn.Benchmarks;

/// <summary>
/// The optimizer step alone, one thread: FlatAdam's fused pass against TorchSharp's optim.Adam (libtorch's element-wise
/// calls, one set per parameter tensor) on the same parameters, for the default CNN and the permutation experiment's
/// 3,072→120→10 MLP. One epoch's worth of steps (1,271 at batch 4 on the subset) per side per round, the sides
/// alternated, median of 3 rounds. The gradients are fixed random values, so only the update is timed.
/// </summary>
internal static class OptimizerBenchmark
{
    private const int Steps = 1271;
    private const int Rounds = 3;

    public static void Run()
    {
        TorchRuntime.Configure(1, 1);
        Console.WriteLine();
        Console.WriteLine($"Optimizer step, {Steps} steps (one epoch of the subset at batch 4) per side per round, median of {Rounds} alternated rounds, 1 thread; load at start {MachineLoad.Describe()}");
        Console.WriteLine("| network | parameters | TorchSharp optim.Adam ms/step | FlatAdam ms/step | optim.Adam / FlatAdam |");
        Console.WriteLine("|---|---|---|---|---|");
        Row("default CNN", () => new SimpleCnn(ConvNetArchitecture.Default));
        Row("MLP 3,072→120→10", () => new MlpBaseline(3072, 120, 10));
    }

    private static void Row(string name, Func<nn.Module<Tensor, Tensor>> create)
    {
        using var reference = create();
        using var flat = create();
        var count = reference.parameters().Sum(p => p.numel());
        using var torchAdam = optim.Adam(reference.parameters(), lr: 0.001);
        using var flatAdam = new FlatAdam(flat.named_parameters(), 0.001);
        foreach (var (a, b) in reference.parameters().Zip(flat.parameters()))
        {
            using var gradient = randn(a.shape) * 1e-3;
            a.grad = gradient.clone();
            using (no_grad()) b.grad!.copy_(gradient);
        }
        double Time(Action step)
        {
            step(); // warm
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < Steps; i++) step();
            return clock.Elapsed.TotalMilliseconds / Steps;
        }
        var (torchTimes, flatTimes) = (new List<double>(), new List<double>());
        for (var round = 0; round < Rounds; round++)
        {
            torchTimes.Add(Time(() => torchAdam.step()));
            flatTimes.Add(Time(flatAdam.Step));
        }
        var (t, f) = (torchTimes.Order().ElementAt(Rounds / 2), flatTimes.Order().ElementAt(Rounds / 2));
        Console.WriteLine(FormattableString.Invariant($"| {name} | {count:N0} | {t:F3} | {f:F3} | {t / f:F1}× |"));
    }
}
