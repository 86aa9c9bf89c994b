namespace MlNetCnn.Experiments;

/// <summary>Reported as an experiment moves through its stages; <paramref name="Fraction"/> is in [0,1].</summary>
public sealed record ExperimentProgress(string Experiment, string Stage, double Fraction);
