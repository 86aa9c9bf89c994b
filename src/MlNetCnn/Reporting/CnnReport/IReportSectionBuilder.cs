namespace MlNetCnn.Reporting.CnnReport;

/// <summary>
/// Builds one section of a CNN report from the measured <see cref="CnnReportData"/>, unlike an
/// <see cref="IReportSection"/>, which adds itself from what it carries; both add a <see cref="ReportSection"/>, the
/// titled part of the page. The generator runs the builders in order after a single pass over the test data, so a
/// new section costs no extra data pass.
/// </summary>
public interface IReportSectionBuilder
{
    /// <summary>Section title, also shown in progress reports.</summary>
    string Title { get; }

    /// <summary>Appends the section (title, explanation built from <paramref name="data"/>, blocks) to <paramref name="report"/>.</summary>
    void AddTo(ReportDocument report, CnnReportData data);
}
