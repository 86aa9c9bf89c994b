namespace MlNetCnn.Experiments;

/// <summary>Reported as an experiment moves through its stages.</summary>
public sealed class ExperimentProgress
{
    internal ExperimentProgress(string experiment, string stage, double fraction)
    {
        Experiment = experiment;
        Stage = stage;
        Fraction = fraction;
    }

    /// <summary>The experiment's registry name.</summary>
    public string Experiment { get; }

    /// <summary>What the experiment is doing, e.g. "training" or "done".</summary>
    public string Stage { get; }

    /// <summary>The experiment's completion, in [0, 1].</summary>
    public double Fraction { get; }
}
