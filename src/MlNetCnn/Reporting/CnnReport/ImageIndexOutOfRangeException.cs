namespace MlNetCnn.Reporting.CnnReport;

/// <summary>
/// <see cref="CnnReportOptions.ImageIndices"/> names rows the test data does not have. Thrown before the scan when the data
/// knows its row count (after it otherwise), so an app or the CLI can say which indices and how many rows there are.
/// </summary>
public sealed class ImageIndexOutOfRangeException : ArgumentOutOfRangeException
{
    internal ImageIndexOutOfRangeException(IReadOnlyList<long> outside, long rowCount)
        : base(nameof(CnnReportOptions.ImageIndices),
            $"Image index {string.Join(", ", outside)} {(outside.Count == 1 ? "is" : "are")} past the end of the test data, which has {rowCount} rows (0 to {rowCount - 1}).")
    {
        Outside = outside;
        RowCount = rowCount;
    }

    /// <summary>The indices that are not rows of the test data, in the order given.</summary>
    public IReadOnlyList<long> Outside { get; }

    /// <summary>Rows the test data has.</summary>
    public long RowCount { get; }
}
