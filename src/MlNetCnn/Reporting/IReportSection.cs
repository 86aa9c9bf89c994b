namespace MlNetCnn.Reporting;

/// <summary>
/// A self-contained section that adds itself to a page from what it carries (e.g. an experiment run), unlike a
/// <see cref="CnnReport.IReportSectionBuilder"/>, which builds from the CNN report's measured data; both add a
/// <see cref="ReportSection"/>, the titled part of the page. Append such sections to the CNN report with
/// <see cref="CnnReport.CnnReportOptions.AppendedSections"/>.
/// </summary>
public interface IReportSection
{
    /// <summary>Section title, also shown in progress reports.</summary>
    string Title { get; }

    /// <summary>Appends the section (title, explanation, blocks) to <paramref name="report"/>.</summary>
    void AddTo(ReportDocument report);
}
