namespace MlNetCnn.Reporting.CnnReport.Scan;

/// <summary>
/// The report's chosen images, which most sections show: decides, row by row, which images to keep (with their maps),
/// without knowing the data in advance. The collector always runs it; memory is bounded by the images kept.
/// </summary>
internal sealed class SampleSelection : IRowAccumulator
{
    private readonly CnnReportOptions _options;
    private readonly Dictionary<long, ReportSample> _byRow = [];
    private readonly List<ReportSample>[] _perClass;
    private readonly List<ReportSample> _fillers = [];
    private readonly HashSet<long>? _explicit;

    public SampleSelection(CnnReportOptions options, int classes)
    {
        _options = options;
        _explicit = options.ImageIndices is { } rows ? [.. rows] : null;
        _perClass = [.. Enumerable.Range(0, classes).Select(_ => new List<ReportSample>())];
    }

    public void Accept(ScannedRow row)
    {
        if (Wants(row.Row, row.Label))
            Keep(new ReportSample(row.Row, row.Label, row.Predicted, row.Confidence(), row.Image(), [.. row.Maps.Select(m => (float[])m.Clone())], row.File()));
    }

    private bool Wants(long row, int label) =>
        _explicit?.Contains(row)
        ?? (_fillers.Count < _options.ImageCount
            || (label >= 0 && _perClass[label].Count < Math.Min(_options.ImagesPerClass, _options.ImageCount)));

    private void Keep(ReportSample sample)
    {
        if (_explicit is not null)
        {
            _byRow[sample.Row] = sample;
            return;
        }

        if (sample.Label >= 0 && _perClass[sample.Label].Count < _options.ImagesPerClass) _perClass[sample.Label].Add(sample);
        if (_fillers.Count < _options.ImageCount) _fillers.Add(sample);
    }

    public IReadOnlyList<ReportSample> Result(long rowCount)
    {
        if (_options.ImageIndices is { } rows)
        {
            var missing = rows.Where(r => !_byRow.ContainsKey(r)).ToList();
            if (missing.Count > 0)
                throw new ArgumentOutOfRangeException(nameof(CnnReportOptions.ImageIndices),
                    $"Row(s) {string.Join(", ", missing)} do not exist: the test data has {rowCount} rows (0 to {rowCount - 1}).");
            return [.. rows.Select(r => _byRow[r])];
        }

        // Classes in order, each up to ImagesPerClass images; rows of any class fill the rest.
        var chosen = _perClass.SelectMany(list => list).Take(_options.ImageCount).ToList();
        var taken = chosen.Select(s => s.Row).ToHashSet();
        chosen.AddRange(_fillers.Where(s => !taken.Contains(s.Row)).Take(_options.ImageCount - chosen.Count));
        return chosen;
    }
}
