namespace MlNetCnn.Reporting;

/// <summary>
/// A section that builds itself from what it carries (e.g. an experiment run) and needs none of the CNN report's
/// measured data; append such sections to the CNN report with
/// <see cref="CnnReport.CnnReportOptions.AppendedSections"/>.
/// </summary>
public interface IReportSection
{
    /// <summary>Section title, also shown in progress reports.</summary>
    string Title { get; }

    /// <summary>Appends the section (title, explanation, blocks) to <paramref name="report"/>.</summary>
    void AddTo(ReportDocument report);
}
