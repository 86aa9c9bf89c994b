using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetCnn.Transforms.Schema;

/// <summary>
/// Reads a key column whatever its storage type. ML.NET keys may be stored as byte, ushort, uint or ulong
/// (<c>MapValueToKey</c> makes uint, <c>[KeyType]</c> on a byte field makes byte), and a getter must ask for exactly
/// that type; the validators accept any key type, so every reader goes through here.
/// </summary>
internal static class KeyColumn
{
    /// <summary>A getter for <paramref name="column"/> of <paramref name="row"/> that returns the raw key (1-based; 0 = missing).</summary>
    public static Func<ulong> Getter(DataViewRow row, DataViewSchema.Column column)
    {
        var raw = ((KeyDataViewType)column.Type).RawType;
        if (raw == typeof(uint)) { var g = row.GetGetter<uint>(column); uint v = 0; return () => { g(ref v); return v; }; }
        if (raw == typeof(byte)) { var g = row.GetGetter<byte>(column); byte v = 0; return () => { g(ref v); return v; }; }
        if (raw == typeof(ushort)) { var g = row.GetGetter<ushort>(column); ushort v = 0; return () => { g(ref v); return v; }; }
        if (raw == typeof(ulong)) { var g = row.GetGetter<ulong>(column); ulong v = 0; return () => { g(ref v); return v; }; }
        throw new ColumnSchemaException(column.Name, "a key stored as Byte, UInt16, UInt32 or UInt64", raw.Name);
    }

    /// <summary>
    /// A raw key as the uint the batch scorers take. A UInt64 key beyond uint's range saturates instead of wrapping
    /// around to a small, valid-looking key, so the scorer's range check still refuses it.
    /// </summary>
    public static uint ToUInt32(ulong key) => (uint)Math.Min(key, uint.MaxValue);
}
