namespace MlNetCnn.Reporting.CnnReport;

/// <summary>
/// A section whose building is slow enough to want its own stretch of the report's progress bar (the explanation
/// section runs every attribution method and the deletion/insertion curves): the generator gives it
/// <see cref="Weight"/> times a plain section's share and passes a progress that moves across it.
/// </summary>
internal interface IProgressReportingSection : ICnnReportSection
{
    /// <summary>Its building time in units of a plain section's (which costs next to nothing).</summary>
    double Weight { get; }

    /// <summary>As <see cref="ICnnReportSection.AddTo"/>, reporting the fraction done (0 to 1) to <paramref name="fraction"/>.</summary>
    void AddTo(ReportDocument report, CnnReportData data, IProgress<double>? fraction);
}
