namespace MlNetCnn.Attribution;

/// <summary>Progress of a faithfulness comparison: the method (or baseline) being measured and the fraction done, 0 to 1.</summary>
public sealed record FaithfulnessProgress(string Stage, double Fraction);
