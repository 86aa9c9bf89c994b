using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Model;
using MlNetCnn.Reporting.CnnReport.Scan;

namespace MlNetCnn.Reporting.CnnReport;

/// <summary>
/// Runs the report's one cursor pass over a view with label, prediction and feature-map columns, and hands every row
/// to the accumulators: the chosen images' (<see cref="SampleSelection"/>) and each measuring section's own
/// (<see cref="IMeasuringSection"/>). It knows nothing of what the sections measure.
/// </summary>
internal static class ReportDataCollector
{
    private const int ProgressEveryRows = 64;

    /// <param name="view">Must hold the label, predicted label, feature and <c>conv*</c> columns named in <paramref name="options"/>.</param>
    /// <param name="sections">The page's sections, in page order: those that measure get an accumulator for this scan.</param>
    /// <param name="progress">Receives the fraction of rows read (when the row count is known).</param>
    public static CnnReportData Collect(TrainedCnn model, IDataView view, CnnReportOptions options, IReadOnlyList<ConvLayerShape> layers,
        IReadOnlyList<ICnnReportSection> sections, Action<double>? progress)
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

        var samples = new SampleSelection(options, classes);
        var measured = new Dictionary<ICnnReportSection, IRowAccumulator>(ReferenceEqualityComparer.Instance);
        foreach (var section in sections)
        {
            if (section is IMeasuringSection measuring && !measured.ContainsKey(section) && measuring.CreateAccumulator(model, options, layers) is { } accumulator)
                measured[section] = accumulator;
        }

        IRowAccumulator[] accumulators = [samples, .. measured.Values];
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
            // The image, file and score are read only when an accumulator asks for them, at most once per row.
            var scanned = new ScannedRow(dense,
                () =>
                {
                    getFeatures(ref image);
                    var pixels = new float[model.Architecture.InputLength];
                    // Planar like every other image of the report, whichever layout the model's column has.
                    Transforms.Schema.ImageColumnValidator.CopyImage(image, pixels, options.FeatureColumnName, row, model.Architecture);
                    return pixels;
                },
                () =>
                {
                    if (getPath is null) return null;
                    getPath(ref file);
                    return file.ToString();
                },
                () =>
                {
                    if (getScore is null || ToClass(predictedKey, classes) is not (>= 0 and var guess)) return null;
                    getScore(ref scores);
                    return scores.GetItemOrDefault(guess);
                });
            while (cursor.MoveNext())
            {
                getLabel(ref key);
                getPredicted(ref predictedKey);
                for (var i = 0; i < mapColumns.Length; i++)
                {
                    getMaps[i](ref maps[i]);
                    maps[i].CopyTo(dense[i]); // densifies a sparse buffer
                }

                scanned.MoveTo(row, ToClass(key, classes), ToClass(predictedKey, classes));
                foreach (var accumulator in accumulators) accumulator.Accept(scanned);
                row++;
                if (progress is not null && total is > 0 && row % ProgressEveryRows == 0)
                    progress(Math.Min(1.0, (double)row / total.Value));
            }

            progress?.Invoke(1.0);
            return new CnnReportData(model, options, layers, samples.Result(row), row, sections, measured);
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
}
