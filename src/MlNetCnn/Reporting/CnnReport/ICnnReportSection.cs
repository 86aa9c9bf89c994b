namespace MlNetCnn.Reporting.CnnReport;

/// <summary>
/// A section of the CNN report — the kind you write to add to it. The generator scans the test data once, then asks
/// each section in order to add its <see cref="PagePart"/> to the page from the measured <see cref="CnnReportData"/>.
/// A section that measures something of its own over the test data also implements <see cref="Scan.IMeasuringSection"/>.
/// (An <see cref="IPrebuiltSection"/>, by contrast, already holds its content and needs no measured data.)
/// </summary>
public interface ICnnReportSection
{
    /// <summary>Section title, also shown in progress reports.</summary>
    string Title { get; }

    /// <summary>Appends the section's part (title, explanation built from <paramref name="data"/>, blocks) to <paramref name="report"/>.</summary>
    void AddTo(ReportDocument report, CnnReportData data);
}
