using MlNetCnn.Experiments;

namespace MlNetCnn.Tests.Experiments;

public class ExperimentTests
{
    [Fact]
    public void ResultThrowsWhenTheEffectNameMatchesNoMeasurement()
    {
        using var context = TinyContext();
        // "drop-diference": the typo that used to give a NaN effect and a silent "Inconclusive" over seeds.
        var experiment = new FixedExperiment(effectMeasurement: "drop-diference", new Measurement("drop-difference", 0.25, MeasurementUnit.Accuracy));

        var error = Assert.Throws<InvalidOperationException>(() => experiment.Run(context));

        Assert.Contains("'drop-diference'", error.Message, StringComparison.Ordinal);
        Assert.Contains("drop-difference", error.Message.Replace("'drop-diference'", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void ResultCarriesTheMeasurementsAndTheNamedEffect()
    {
        using var context = TinyContext();
        var experiment = new FixedExperiment(effectMeasurement: "drop-difference",
            new Measurement("accuracy", 0.5, MeasurementUnit.Accuracy), new Measurement("drop-difference", 0.25, MeasurementUnit.Accuracy));

        var result = experiment.Run(context);

        Assert.Equal(["accuracy", "drop-difference"], result.Measurements.Select(m => m.Name));
        Assert.Equal(0.25, result.Effect);
        Assert.Equal("drop-difference", result.EffectMeasurement);
    }

    [Fact]
    public void ResultWithoutAnEffectNameAcceptsAnyMeasurements()
    {
        using var context = TinyContext();
        var experiment = new FixedExperiment(effectMeasurement: null, new Measurement("accuracy", 0.5, MeasurementUnit.Accuracy));

        var result = experiment.Run(context);

        Assert.Null(result.EffectMeasurement);
        Assert.True(double.IsNaN(result.Effect));
    }

    [Fact]
    public void AKeyMeasurementThatNamesNothingFailsTheRunInsteadOfVanishingFromTheSummary()
    {
        using var context = TinyContext();
        var experiment = new FixedExperiment(effectMeasurement: null, new Measurement("accuracy", 0.5, MeasurementUnit.Accuracy)) { Keys = ["acuracy"] };

        var error = Assert.Throws<InvalidOperationException>(() => ExperimentRunner.Run(experiment, context));
        Assert.Contains("'acuracy' as a key measurement", error.Message, StringComparison.Ordinal);
        Assert.Contains("it measured accuracy", error.Message, StringComparison.Ordinal);

        var run = new ExperimentRunner(new ExperimentRegistry([experiment])).RunAll(context);
        Assert.False(run.Single().Succeeded);

        var named = new FixedExperiment(effectMeasurement: null, new Measurement("accuracy", 0.5, MeasurementUnit.Accuracy)) { Keys = ["accuracy"] };
        Assert.Equal(["accuracy"], ExperimentRunner.Run(named, context).KeyValues.Select(m => m.Name));
    }

    private static ExperimentContext TinyContext() => new(
        ExperimentTestModels.RandomImages(4, channels: 1, side: 8, classes: 2, seed: 1),
        ExperimentTestModels.RandomImages(4, channels: 1, side: 8, classes: 2, seed: 2),
        ownsData: true);

    // Measures nothing: it returns the measurements it was given, so only the scaffold's checks are under test.
    private sealed class FixedExperiment(string? effectMeasurement, params Measurement[] measurements)
        : Experiment("fixed", "Fixed", "The scaffold checks the effect's name.", effectMeasurement)
    {
        public IReadOnlyList<string> Keys { get; init; } = [];

        public override ExperimentResult Run(ExperimentContext context) =>
            Result(context, Verdict.Supported, "Fixed numbers.", measurements) with { KeyMeasurements = Keys };
    }
}
