using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetCnn.Tests.TestSupport;

/// <summary>Reads whole columns of an IDataView for assertions.</summary>
internal static class DataViewColumns
{
    /// <summary>Every row's value of a float-vector column, densified.</summary>
    public static float[][] ReadFloats(IDataView view, string column)
    {
        var rows = new List<float[]>();
        using var cursor = view.GetRowCursor(new[] { view.Schema[column] });
        var getter = cursor.GetGetter<VBuffer<float>>(view.Schema[column]);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows.Add(value.DenseValues().ToArray());
        }
        return rows.ToArray();
    }

    /// <summary>Every row's value of a key column (1-based; 0 = missing).</summary>
    public static uint[] ReadKeys(IDataView view, string column)
    {
        var rows = new List<uint>();
        using var cursor = view.GetRowCursor(new[] { view.Schema[column] });
        var getter = cursor.GetGetter<uint>(view.Schema[column]);
        uint value = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows.Add(value);
        }
        return rows.ToArray();
    }
}
