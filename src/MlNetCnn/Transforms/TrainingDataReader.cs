using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Model;
using MlNetCnn.Training;

namespace MlNetCnn.Transforms;

/// <summary>
/// Reads an IDataView's feature and label columns into an <see cref="InMemoryImageSet"/> with one cursor pass,
/// checking every value: NaN/∞ features and out-of-range labels fail here, before libtorch sees them.
/// Rows whose label is missing (key 0) are skipped, as ML.NET trainers do. 8-bit images are kept as bytes
/// (see <see cref="InMemoryImageSet"/>).
/// </summary>
internal static class TrainingDataReader
{
    public static InMemoryImageSet Read(IDataView data, string featureColumn, string labelColumn, ConvNetArchitecture architecture, out long skippedRows)
    {
        var features = data.Schema[featureColumn];
        var label = data.Schema[labelColumn];
        var length = architecture.InputLength;
        var images = new ImageSetBuilder(architecture.InputChannels, architecture.InputHeight, architecture.InputWidth);
        skippedRows = 0;

        using var cursor = data.GetRowCursor(new[] { features, label });
        var getFeatures = cursor.GetGetter<VBuffer<float>>(features);
        var getLabel = KeyGetter(cursor, label);
        VBuffer<float> row = default;
        var dense = new float[length];
        while (cursor.MoveNext())
        {
            var key = getLabel();
            if (key == 0)
            {
                skippedRows++;
                continue;
            }
            if (key > (ulong)architecture.ClassCount)
                throw new ColumnSchemaException(labelColumn, $"key values 1–{architecture.ClassCount}", $"{key} at row {cursor.Position}");
            getFeatures(ref row);
            if (row.Length != length)
                throw new ColumnSchemaException(featureColumn, $"{length} values", $"{row.Length} values at row {cursor.Position}");
            row.CopyTo(dense);
            InvalidFeatureValueException.ThrowIfNotFinite(dense, featureColumn, cursor.Position);
            images.Add(dense, (long)key - 1);
        }
        return images.Build();
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
}
