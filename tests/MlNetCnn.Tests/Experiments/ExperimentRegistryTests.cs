using MlNetCnn.Experiments;

namespace MlNetCnn.Tests.Experiments;

[Collection(TorchSerialCollection.Name)]
public class ExperimentRegistryTests
{
    private sealed class Failing : IExperiment
    {
        public string Name => "failing";
        public string Title => "Always fails";
        public string Hypothesis => "none";
        public ExperimentResult Run(ExperimentContext context) => throw new InvalidOperationException("boom");
    }

    private sealed class Constant : IExperiment
    {
        public string Name => "constant";
        public string Title => "Constant";
        public string Hypothesis => "none";
        public ExperimentResult Run(ExperimentContext context) => new()
        {
            Name = Name, Title = Title, Hypothesis = Hypothesis, Verdict = Verdict.Inconclusive, Explanation = "1",
            Measurements = new[] { new Measurement("one", 1) },
        };
    }

    [Fact]
    public void DefaultRegistryHoldsTheNineExperimentsInCatalogOrder()
    {
        Assert.Equal(new[] { "permutation", "equivariance", "receptive-field", "orientation", "occlusion", "top-patches", "linear-probes", "depth", "explanations" },
            ExperimentRegistry.Default.Names);
        Assert.Same(ExperimentRegistry.Default.Get("explanations"), ExperimentRegistry.Default.Get("Explanations"));
        var error = Assert.Throws<KeyNotFoundException>(() => ExperimentRegistry.Default.Get("saliency"));
        Assert.Contains("receptive-field", error.Message);
        Assert.Throws<ArgumentException>(() => new ExperimentRegistry(new IExperiment[] { new Constant(), new Constant() }));
    }

    [Fact]
    public void RunAllRecordsFailuresAndKeepsGoing()
    {
        using var train = ExperimentTestModels.RandomImages(2, 3, 16, 2, seed: 1);
        using var test = ExperimentTestModels.RandomImages(2, 3, 16, 2, seed: 2);
        using var context = new ExperimentContext(train, test);
        var runner = new ExperimentRunner(new ExperimentRegistry(new IExperiment[] { new Failing(), new Constant() }));

        var runs = runner.RunAll(context);

        Assert.Equal(new[] { "failing", "constant" }, runs.Select(r => r.Name));
        Assert.False(runs[0].Succeeded);
        Assert.IsType<InvalidOperationException>(runs[0].Error);
        Assert.True(runs[1].Succeeded);
        Assert.Equal(1, runs[1].Result!.Value("one"));
        Assert.False(context.HasModel); // nothing asked for the model, so none was trained
    }

    [Fact]
    public void CancellationStopsTheBatch()
    {
        using var train = ExperimentTestModels.RandomImages(2, 3, 16, 2, seed: 1);
        using var test = ExperimentTestModels.RandomImages(2, 3, 16, 2, seed: 2);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        using var context = new ExperimentContext(train, test) { Cancellation = cancelled.Token };
        Assert.ThrowsAny<OperationCanceledException>(() => new ExperimentRunner().RunAll(context));
    }
}
