using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Model;

namespace MlNetCnn.Reporting.CnnReport;

/// <summary>
/// One cursor pass over a view with label, prediction and feature-map columns: keeps only the chosen images
/// (bounded memory) and streams every row's maps into confusion counts and per-channel statistics.
/// </summary>
internal static class ReportDataCollector
{
    private const int ProgressEveryRows = 64;

    /// <param name="view">Must hold the label, predicted label, feature and <c>conv*</c> columns named in <paramref name="options"/>.</param>
    /// <param name="progress">Receives the fraction of rows read (when the row count is known).</param>
    public static CnnReportData Collect(TrainedCnn model, IDataView view, CnnReportOptions options, IReadOnlyList<ConvLayerShape> layers, Action<double>? progress)
    {
        var schema = view.Schema;
        var classes = model.ClassNames.Count;
        var label = RequireKey(schema, options.LabelColumnName, "true label");
        var predicted = RequireKey(schema, options.PredictedLabelColumnName, "predicted label");
        var features = RequireVector(schema, options.FeatureColumnName, model.Architecture.InputLength, "image");
        var score = schema.GetColumnOrNull(options.ScoreColumnName) is { Type: VectorDataViewType { Size: var size } scoreType } s && size == classes && scoreType.ItemType == NumberDataViewType.Single
            ? s
            : (DataViewSchema.Column?)null;
        var mapColumns = layers.Select(l => RequireMap(schema, l)).ToArray();
        var path = schema.GetColumnOrNull(Data.ImageFolder.ImageFolderDataView.ImagePathColumnName) is { Type: TextDataViewType } p ? p : (DataViewSchema.Column?)null;

        var needed = new List<DataViewSchema.Column> { label, predicted, features };
        needed.AddRange(mapColumns);
        if (score is { } sc) needed.Add(sc);
        if (path is { } pc) needed.Add(pc);

        var selection = new SampleSelection(options, classes);
        var confusion = new int[classes, classes];
        var stats = layers.Select(l => new ChannelStatisticsAccumulator(l, classes)).ToArray();
        // The strongest-patch search costs a search per row, layer and channel: only when an explorer will be built.
        var top = Sections.ExplorerSection.IsIncluded(options) && options.ExplorerTopPatches > 0
            ? layers.Select(l => new Explorer.TopPatchAccumulator(model.Architecture, l, options.ExplorerTopPatches)).ToArray()
            : null;
        var total = view.GetRowCount();

        using (var cursor = view.GetRowCursor(needed))
        {
            var getLabel = cursor.GetGetter<uint>(label);
            var getPredicted = cursor.GetGetter<uint>(predicted);
            var getFeatures = cursor.GetGetter<VBuffer<float>>(features);
            var getMaps = mapColumns.Select(c => cursor.GetGetter<VBuffer<float>>(c)).ToArray();
            var getScore = score is { } scoreColumn ? cursor.GetGetter<VBuffer<float>>(scoreColumn) : null;
            var getPath = path is { } pathColumn ? cursor.GetGetter<ReadOnlyMemory<char>>(pathColumn) : null;
            ReadOnlyMemory<char> file = default;
            var maps = new VBuffer<float>[mapColumns.Length];
            var dense = layers.Select(l => new float[l.MapLength]).ToArray();
            VBuffer<float> image = default, scores = default;
            uint key = 0, predictedKey = 0;
            long row = 0;
            while (cursor.MoveNext())
            {
                getLabel(ref key);
                getPredicted(ref predictedKey);
                int truth = ToClass(key, classes), guess = ToClass(predictedKey, classes);
                if (truth >= 0 && guess >= 0) confusion[truth, guess]++;
                // The row's image, read and copied at most once, only if a top patch or a sample needs it.
                float[]? pixels = null;
                string? name = null;
                string? File()
                {
                    if (name is null && getPath is not null)
                    {
                        getPath(ref file);
                        name = file.ToString();
                    }
                    return name;
                }

                float[] Pixels()
                {
                    if (pixels is null)
                    {
                        getFeatures(ref image);
                        pixels = new float[model.Architecture.InputLength];
                        // Planar like every other image of the report, whichever layout the model's column has.
                        Transforms.Schema.ImageColumnValidator.CopyImage(image, pixels, options.FeatureColumnName, row, model.Architecture);
                    }
                    return pixels;
                }

                for (var i = 0; i < mapColumns.Length; i++)
                {
                    getMaps[i](ref maps[i]);
                    maps[i].CopyTo(dense[i]); // densifies a sparse buffer
                    stats[i].Add(dense[i], truth);
                    top?[i].Add(row, dense[i], Pixels, File);
                }

                if (selection.Wants(row, truth))
                {
                    float? confidence = null;
                    if (getScore is not null && guess >= 0)
                    {
                        getScore(ref scores);
                        confidence = scores.GetItemOrDefault(guess);
                    }

                    selection.Keep(new ReportSample(row, truth, guess, confidence, Pixels(), [.. dense.Select(d => (float[])d.Clone())], File()));
                }

                row++;
                if (progress is not null && total is > 0 && row % ProgressEveryRows == 0)
                    progress(Math.Min(1.0, (double)row / total.Value));
            }

            progress?.Invoke(1.0);
            return new CnnReportData(model, options, layers, selection.Result(row), row, confusion, [.. stats.Select(a => a.ToStatistics())],
                top is null ? null : [.. top.Select(t => t.Result())]);
        }
    }

    private static int ToClass(uint key, int classes) => key >= 1 && key <= classes ? (int)key - 1 : -1;

    private static DataViewSchema.Column RequireKey(DataViewSchema schema, string name, string what)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"The test data has no {what} column '{name}'; its columns are {string.Join(", ", schema.Select(c => c.Name))}.");
        if (column.Type is not KeyDataViewType { RawType: var raw } || raw != typeof(uint))
            throw new ArgumentException($"The {what} column '{name}' must be a key of UInt32 (e.g. from MapValueToKey), but is {column.Type}.");
        return column;
    }

    private static DataViewSchema.Column RequireVector(DataViewSchema schema, string name, int length, string what)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"The test data has no {what} column '{name}'; its columns are {string.Join(", ", schema.Select(c => c.Name))}.");
        if (column.Type is not VectorDataViewType { ItemType: var item } vector || item != NumberDataViewType.Single || vector.Size != length)
            throw new ArgumentException($"The {what} column '{name}' must be a vector of {length} Single values, but is {column.Type}.");
        return column;
    }

    private static DataViewSchema.Column RequireMap(DataViewSchema schema, ConvLayerShape layer)
    {
        var column = RequireVector(schema, layer.Name, layer.MapLength, "feature-map");
        var dims = ((VectorDataViewType)column.Type).Dimensions;
        if (dims.Length == 3 && (dims[0] != layer.OutChannels || dims[1] != layer.OutHeight || dims[2] != layer.OutWidth))
            throw new ArgumentException(
                $"Feature-map column '{layer.Name}' has dimensions {string.Join("×", dims)} but the model's layer is {layer.OutChannels}×{layer.OutHeight}×{layer.OutWidth}.");
        return column;
    }

    /// <summary>Decides, row by row, which images to keep, without knowing the data in advance.</summary>
    private sealed class SampleSelection
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

        public bool Wants(long row, int label) =>
            _explicit?.Contains(row)
            ?? (_fillers.Count < _options.ImageCount
                || (label >= 0 && _perClass[label].Count < Math.Min(_options.ImagesPerClass, _options.ImageCount)));

        public void Keep(ReportSample sample)
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
}
