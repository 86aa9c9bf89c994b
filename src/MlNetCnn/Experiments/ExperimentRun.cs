namespace MlNetCnn.Experiments;

/// <summary>One experiment's outcome in a batch run: its result, or the error that stopped it, and how long it took.</summary>
public sealed record ExperimentRun(string Name, ExperimentResult? Result, Exception? Error, TimeSpan Elapsed)
{
    /// <summary>True when the experiment produced a result (no error).</summary>
    public bool Succeeded => Result != null;

    /// <summary>The seed the run used (the context's <see cref="ExperimentContext.Seed"/>).</summary>
    public int Seed { get; init; } = Model.TrainingDefaults.Seed;
}
