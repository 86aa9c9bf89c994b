namespace MlNetCnn.Reporting.CnnReport.Scan;

/// <summary>
/// The report's chosen images, which most sections show: decides, row by row, which images to keep (with their maps),
/// without knowing the data in advance. The collector always runs it; memory is bounded by the images kept.
/// </summary>
internal sealed class SampleSelection : IRowAccumulator
{
    private readonly CnnReportOptions options;
    private readonly Dictionary<long, ReportSample> byRow = [];
    private readonly List<ReportSample>[] perClass;
    private readonly List<ReportSample> fillers = [];
    private readonly HashSet<long>? explicitRows;

    public SampleSelection(CnnReportOptions options, int classes)
    {
        this.options = options;
        explicitRows = options.ImageIndices is { } rows ? [.. rows] : null;
        perClass = [.. Enumerable.Range(0, classes).Select(_ => new List<ReportSample>())];
    }

    public void Accept(ScannedRow row)
    {
        if (Wants(row.Row, row.Label))
            Keep(new ReportSample(row.Row, row.Label, row.Predicted, row.Confidence(), row.Image(), [.. row.Maps.Select(m => (float[])m.Clone())], row.File()));
    }

    private bool Wants(long row, int label) =>
        explicitRows?.Contains(row)
        ?? (fillers.Count < options.ImageCount
            || (label >= 0 && perClass[label].Count < Math.Min(options.ImagesPerClass, options.ImageCount)));

    private void Keep(ReportSample sample)
    {
        if (explicitRows is not null)
        {
            byRow[sample.Row] = sample;
            return;
        }

        if (sample.Label >= 0 && perClass[sample.Label].Count < options.ImagesPerClass) perClass[sample.Label].Add(sample);
        if (fillers.Count < options.ImageCount) fillers.Add(sample);
    }

    public IReadOnlyList<ReportSample> Result(long rowCount)
    {
        if (options.ImageIndices is { } rows)
        {
            // Data that does not know its row count in advance is found out here, after the scan.
            var missing = rows.Where(r => !byRow.ContainsKey(r)).ToList();
            if (missing.Count > 0)
                throw new ImageIndexOutOfRangeException(missing, rowCount);
            return [.. rows.Select(r => byRow[r])];
        }

        // Classes in order, each up to ImagesPerClass images; rows of any class fill the rest.
        var chosen = perClass.SelectMany(list => list).Take(options.ImageCount).ToList();
        var taken = chosen.Select(s => s.Row).ToHashSet();
        chosen.AddRange(fillers.Where(s => !taken.Contains(s.Row)).Take(options.ImageCount - chosen.Count));
        return chosen;
    }
}
