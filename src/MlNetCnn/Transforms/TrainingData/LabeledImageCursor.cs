using System.Runtime.ExceptionServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Model;
using MlNetCnn.Transforms.Schema;

namespace MlNetCnn.Transforms.TrainingData;

/// <summary>
/// A cursor over an IDataView's feature and label columns that checks every value: NaN/∞ features and out-of-range
/// labels fail here, before libtorch sees them. Rows whose label is missing (key 0) are skipped, as ML.NET trainers
/// do. Shared by the in-memory reader and the streaming source so both accept exactly the same data.
/// </summary>
internal sealed class LabeledImageCursor : IDisposable
{
    private readonly string featureColumn;
    private readonly string labelColumn;
    private readonly int classCount;
    private readonly ConvNetArchitecture architecture;
    private readonly DataViewRowCursor cursor;
    private readonly ValueGetter<VBuffer<float>> getFeatures;
    private readonly Func<ulong> getLabel;
    private VBuffer<float> row;

    public LabeledImageCursor(IDataView data, string featureColumn, string labelColumn, ConvNetArchitecture architecture)
    {
        this.featureColumn = featureColumn;
        this.labelColumn = labelColumn;
        classCount = architecture.ClassCount;
        this.architecture = architecture;
        Length = architecture.InputLength;
        var features = data.Schema[featureColumn];
        var label = data.Schema[labelColumn];
        cursor = data.GetRowCursor(new[] { features, label });
        getFeatures = cursor.GetGetter<VBuffer<float>>(features);
        getLabel = KeyColumn.Getter(cursor, label);
    }

    /// <summary>Values per image (C×H×W).</summary>
    public int Length { get; }

    public long SkippedRows { get; private set; }

    /// <summary>Reads the next labelled row's values into <paramref name="image"/> and its 0-based class; false at the end.</summary>
    public bool Next(Span<float> image, out long label)
    {
        try
        {
            return NextCore(image, out label);
        }
        catch (Exception e) when (FileError(e) is { } file && !ReferenceEquals(file, e))
        {
            // ML.NET wraps a source's error in its own ("Splitter/consolidator worker encountered exception") when it reads
            // on worker threads: hand on the error that names the file.
            ExceptionDispatchInfo.Capture(file).Throw();
            throw;
        }
    }

    /// <summary>An image-folder error anywhere in <paramref name="e"/>'s chain of causes, or null.</summary>
    internal static Data.ImageFolder.ImageFolderException? FileError(Exception e)
    {
        for (Exception? x = e; x != null; x = x.InnerException)
        {
            if (x is Data.ImageFolder.ImageFolderException file) return file;
            if (x is AggregateException { InnerExceptions: var all })
                foreach (var inner in all)
                    if (FileError(inner) is { } found) return found;
        }
        return null;
    }

    private bool NextCore(Span<float> image, out long label)
    {
        while (cursor.MoveNext())
        {
            var key = getLabel();
            if (key == 0)
            {
                SkippedRows++;
                continue;
            }
            if (key > (ulong)classCount)
                throw new ColumnSchemaException(labelColumn, $"key values 1–{classCount}", $"{key} at row {cursor.Position}");
            getFeatures(ref row);
            ImageColumnValidator.CopyImage(row, image[..Length], featureColumn, cursor.Position, architecture);
            label = (long)key - 1;
            return true;
        }
        label = -1;
        return false;
    }

    public void Dispose() => cursor.Dispose();
}
