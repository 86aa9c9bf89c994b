namespace MlNetCnn.Reporting;

/// <summary>
/// A section whose content is already known (e.g. an experiment run): it adds its <see cref="PagePart"/> to any page
/// from what it carries, unlike a <see cref="CnnReport.ICnnReportSection"/>, which builds from the CNN report's measured
/// data. Append such sections to the CNN report with <see cref="CnnReport.CnnReportOptions.AppendedSections"/>.
/// </summary>
public interface IPrebuiltSection
{
    /// <summary>Section title, also shown in progress reports.</summary>
    string Title { get; }

    /// <summary>Appends the section's part (title, explanation, blocks) to <paramref name="report"/>.</summary>
    void AddTo(ReportDocument report);
}
