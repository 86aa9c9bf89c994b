using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetCnn.Transforms.Scoring;

/// <summary>
/// Getters for the columns an <see cref="IBatchScorer"/> adds, over the float block that holds the current row's
/// values: vectors are copied out, key columns read their single value as a 1-based key, scalars as a float. Shared
/// by the batched cursor and the row-at-a-time mapper so both hand out values the same way.
/// </summary>
internal static class ScoredColumnGetter
{
    /// <param name="currentRow">Returns the current row's values (length values); it may score the row first.</param>
    public static ValueGetter<TValue> Create<TValue>(DataViewSchema.Column column, int length, Func<ReadOnlyMemory<float>> currentRow)
    {
        Delegate getter = column.Type switch
        {
            VectorDataViewType => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                var row = currentRow().Span;
                var editor = VBufferEditor.Create(ref value, length);
                row[..length].CopyTo(editor.Values);
                value = editor.Commit();
            }),
            KeyDataViewType => (ValueGetter<uint>)((ref uint value) => value = (uint)currentRow().Span[0]),
            _ => (ValueGetter<float>)((ref float value) => value = currentRow().Span[0]),
        };
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' has type {column.Type}, not {typeof(TValue).Name}.");
    }
}
