using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Model;

namespace MlNetCnn.Transforms;

/// <summary>
/// A cursor over an IDataView's feature and label columns that checks every value: NaN/∞ features and out-of-range
/// labels fail here, before libtorch sees them. Rows whose label is missing (key 0) are skipped, as ML.NET trainers
/// do. Shared by the in-memory reader and the streaming source so both accept exactly the same data.
/// </summary>
internal sealed class TrainingRowReader : IDisposable
{
    private readonly string featureColumn;
    private readonly string labelColumn;
    private readonly int classCount;
    private readonly DataViewRowCursor cursor;
    private readonly ValueGetter<VBuffer<float>> getFeatures;
    private readonly Func<ulong> getLabel;
    private VBuffer<float> row;

    public TrainingRowReader(IDataView data, string featureColumn, string labelColumn, ConvNetArchitecture architecture)
    {
        this.featureColumn = featureColumn;
        this.labelColumn = labelColumn;
        classCount = architecture.ClassCount;
        Length = architecture.InputLength;
        var features = data.Schema[featureColumn];
        var label = data.Schema[labelColumn];
        cursor = data.GetRowCursor(new[] { features, label });
        getFeatures = cursor.GetGetter<VBuffer<float>>(features);
        getLabel = KeyGetter(cursor, label);
    }

    /// <summary>Values per image (C×H×W).</summary>
    public int Length { get; }

    public long SkippedRows { get; private set; }

    /// <summary>Reads the next labelled row's values into <paramref name="image"/> and its 0-based class; false at the end.</summary>
    public bool Next(Span<float> image, out long label)
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
            ImageColumnValidator.CopyImage(row, image[..Length], featureColumn, cursor.Position);
            label = (long)key - 1;
            return true;
        }
        label = -1;
        return false;
    }

    /// <summary>Key columns may be stored as byte, ushort, uint or ulong; read any of them as ulong.</summary>
    private static Func<ulong> KeyGetter(DataViewRow row, DataViewSchema.Column column)
    {
        var raw = ((KeyDataViewType)column.Type).RawType;
        if (raw == typeof(uint)) { var g = row.GetGetter<uint>(column); uint v = 0; return () => { g(ref v); return v; }; }
        if (raw == typeof(byte)) { var g = row.GetGetter<byte>(column); byte v = 0; return () => { g(ref v); return v; }; }
        if (raw == typeof(ushort)) { var g = row.GetGetter<ushort>(column); ushort v = 0; return () => { g(ref v); return v; }; }
        if (raw == typeof(ulong)) { var g = row.GetGetter<ulong>(column); ulong v = 0; return () => { g(ref v); return v; }; }
        throw new ColumnSchemaException(column.Name, "a key stored as Byte, UInt16, UInt32 or UInt64", raw.Name);
    }

    public void Dispose() => cursor.Dispose();
}
