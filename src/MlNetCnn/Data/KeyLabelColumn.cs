using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetCnn.Data;

/// <summary>The label column both dataset views expose: a key type whose key values are the class names.</summary>
internal static class KeyLabelColumn
{
    /// <summary>
    /// Adds <paramref name="name"/> as a <see cref="uint"/> key column with keys 1..<c>classNames.Count</c>, annotated
    /// with the class names in key order.
    /// </summary>
    public static void AddTo(DataViewSchema.Builder builder, string name, IReadOnlyList<string> classNames)
    {
        var count = classNames.Count;
        var annotations = new DataViewSchema.Annotations.Builder();
        // A fresh array per call: a caller may reuse the buffer it gets back and write into it.
        ValueGetter<VBuffer<ReadOnlyMemory<char>>> keyValues = (ref VBuffer<ReadOnlyMemory<char>> dst) =>
            dst = new VBuffer<ReadOnlyMemory<char>>(count, classNames.Select(n => n.AsMemory()).ToArray());
        // "KeyValues" is ML.NET's annotation kind for key names; MapKeyToValue and Evaluate read it.
        annotations.Add(AnnotationKinds.KeyValues, new VectorDataViewType(TextDataViewType.Instance, count), keyValues);
        builder.AddColumn(name, new KeyDataViewType(typeof(uint), count), annotations.ToAnnotations());
    }
}
