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
            Name = Name,
            Title = Title,
            Hypothesis = Hypothesis,
            Verdict = Verdict.Inconclusive,
            Explanation = "1",
            Measurements = new[] { new Measurement("one", 1) },
        };
    }

    // Checks that hold for any catalog, so registering an experiment needs no edit here.
    [Fact]
    public void DefaultRegistryNamesAreUniqueLowerKebabCaseAndEachHasATitleAndHypothesis()
    {
        var names = ExperimentRegistry.Default.Names;
        Assert.NotEmpty(names);
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(names, n => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", n));
        Assert.All(ExperimentRegistry.Default.All, e =>
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Title), $"{e.Name} has no title");
            Assert.False(string.IsNullOrWhiteSpace(e.Hypothesis), $"{e.Name} has no hypothesis");
        });
    }

    [Fact]
    public void GetFindsEveryNameWhateverItsCaseAndTheOrderIsTheRegistrationOrder()
    {
        var registry = ExperimentRegistry.Default;
        Assert.Equal(registry.Names, registry.All.Select(e => e.Name));
        // The order is the one given, not sorted: the same experiments registered backwards list backwards.
        var backwards = new ExperimentRegistry(registry.All.Reverse());
        Assert.Equal(registry.Names.Reverse(), backwards.Names);
        Assert.NotEqual(registry.Names, backwards.Names);
        foreach (var name in registry.Names)
        {
            Assert.Equal(name, registry.Get(name).Name);
            Assert.Same(registry.Get(name), registry.Get(name.ToUpperInvariant()));
        }
    }

    [Fact]
    public void UnknownNameListsTheKnownOnesAndDuplicateNamesAreRejected()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => ExperimentRegistry.Default.Get("saliency"));
        Assert.All(ExperimentRegistry.Default.Names, n => Assert.Contains(n, error.Message));
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
