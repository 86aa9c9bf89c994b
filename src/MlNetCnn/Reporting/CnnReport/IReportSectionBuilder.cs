namespace MlNetCnn.Reporting.CnnReport;

/// <summary>
/// Adds one section to a CNN report from the measured <see cref="CnnReportData"/>. The generator runs the
/// builders in order after a single pass over the test data, so a new section costs no extra data pass.
/// </summary>
public interface IReportSectionBuilder
{
    /// <summary>Section title, also shown in progress reports.</summary>
    string Title { get; }

    /// <summary>Appends the section (title, explanation built from <paramref name="data"/>, blocks) to <paramref name="report"/>.</summary>
    void AddTo(ReportDocument report, CnnReportData data);
}
