namespace MlNetCnn.Reporting.CnnReport;

/// <summary>Progress of building (and writing) a CNN report, for a progress bar.</summary>
/// <param name="Stage">What is happening, e.g. "Scanning test data" or "Section: Learned kernels".</param>
/// <param name="Fraction">Overall completion in [0, 1]; never decreases.</param>
public sealed record ReportProgress(string Stage, double Fraction);
