namespace MlNetCnn.Reporting.CnnReport.Scan;

/// <summary>
/// What a section measures while the report scans the test data: the collector hands it every row, in order, once.
/// Keep memory bounded (sums, counts, the best k): the data can be large. The section reads the result when it builds,
/// with <see cref="CnnReportData.Measurement{T}"/>.
/// </summary>
public interface IRowAccumulator
{
    /// <summary>Takes one row of the scan; <paramref name="row"/> and its maps are reused for the next row, so copy what you keep.</summary>
    void Accept(ScannedRow row);
}
