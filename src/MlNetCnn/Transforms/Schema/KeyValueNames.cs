using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Data;

namespace MlNetCnn.Transforms.Schema;

/// <summary>Class names of a key-typed label column, read from its KeyValues annotation.</summary>
internal static class KeyValueNames
{
    /// <summary>
    /// <paramref name="count"/> names: the column's text key values where it has them, else the key index ("0", "1", …).
    /// </summary>
    public static string[] Read(DataViewSchema.Column label, int count)
    {
        var names = Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (label.Annotations.Schema.GetColumnOrNull(AnnotationKinds.KeyValues)?.Type is VectorDataViewType { ItemType: TextDataViewType })
        {
            VBuffer<ReadOnlyMemory<char>> values = default;
            label.Annotations.GetValue(AnnotationKinds.KeyValues, ref values);
            var dense = values.DenseValues().Select(v => v.ToString()).ToArray();
            for (var i = 0; i < Math.Min(dense.Length, count); i++) names[i] = dense[i];
        }
        return names;
    }
}
