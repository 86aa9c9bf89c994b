namespace MlNetCnn.Reporting.CnnReport;

/// <summary>Progress of building (and writing) a CNN report, for a progress bar.</summary>
public sealed class ReportProgress
{
    internal ReportProgress(string stage, double fraction)
    {
        Stage = stage;
        Fraction = fraction;
    }

    /// <summary>What is happening, e.g. "Scanning test data" or "Section: Learned kernels".</summary>
    public string Stage { get; }

    /// <summary>Overall completion in [0, 1]; never decreases.</summary>
    public double Fraction { get; }
}
