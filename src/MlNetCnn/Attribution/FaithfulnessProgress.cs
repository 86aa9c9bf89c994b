namespace MlNetCnn.Attribution;

/// <summary>Progress of a faithfulness comparison: the method (or baseline) being measured and the fraction done, 0 to 1.</summary>
public sealed class FaithfulnessProgress
{
    internal FaithfulnessProgress(string stage, double fraction)
    {
        Stage = stage;
        Fraction = fraction;
    }

    /// <summary>The method (or baseline) being measured, or "done".</summary>
    public string Stage { get; }

    /// <summary>Fraction done, 0 to 1.</summary>
    public double Fraction { get; }
}
