namespace MlNetCnn.Experiments;

/// <summary>One experiment's outcome in a batch run: its result, or the error that stopped it, and how long it took.</summary>
public sealed class ExperimentRun
{
    internal ExperimentRun(string name, ExperimentResult? result, Exception? error, TimeSpan elapsed)
    {
        Name = name;
        Result = result;
        Error = error;
        Elapsed = elapsed;
    }

    /// <summary>The experiment's registry name.</summary>
    public string Name { get; }

    /// <summary>What the experiment measured; null when it failed.</summary>
    public ExperimentResult? Result { get; }

    /// <summary>What stopped the experiment; null when it succeeded.</summary>
    public Exception? Error { get; }

    /// <summary>Wall-clock time of the run.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>True when the experiment produced a result (no error).</summary>
    public bool Succeeded => Result != null;

    /// <summary>The seed the run used (the context's <see cref="ExperimentContext.Seed"/>).</summary>
    public int Seed { get; internal init; } = Model.TrainingDefaults.Seed;
}
