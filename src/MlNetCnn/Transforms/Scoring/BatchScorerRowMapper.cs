using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Transforms.Schema;

namespace MlNetCnn.Transforms.Scoring;

/// <summary>
/// Row-at-a-time form of an <see cref="IBatchScorer"/>, which ML.NET's PredictionEngine asks for. Scores the current
/// input row on first use of an added column and caches it until the row changes.
/// </summary>
internal sealed class BatchScorerRowMapper : IRowToRowMapper
{
    private readonly IBatchScorer scorer;

    public BatchScorerRowMapper(DataViewSchema inputSchema, IBatchScorer scorer)
    {
        InputSchema = inputSchema;
        this.scorer = scorer;
        OutputSchema = BatchedInferenceDataView.AppendColumns(inputSchema, scorer.OutputColumns);
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var needed = new HashSet<int>();
        foreach (var c in dependingColumns)
        {
            if (c.Index < InputSchema.Count) needed.Add(c.Index);
            else
            {
                needed.Add(InputSchema[scorer.InputColumnName].Index);
                if (scorer.KeyColumnName is { } key) needed.Add(InputSchema[key].Index);
            }
        }
        return InputSchema.Where(c => needed.Contains(c.Index));
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
        new Row(this, input, activeColumns.Select(c => c.Index).ToHashSet());

    private sealed class Row : DataViewRow
    {
        private readonly BatchScorerRowMapper parent;
        private readonly DataViewRow input;
        private readonly HashSet<int> active;
        private readonly float[] inputs;
        private readonly float[] current;
        private readonly float[][] outputs;
        private readonly bool[] activeOutputs;
        private ValueGetter<VBuffer<float>>? featureGetter;
        private Func<ulong>? keyGetter;
        private readonly uint[] key = new uint[1];
        private uint scoredKey;
        private VBuffer<float> buffer;
        private bool scored;

        public Row(BatchScorerRowMapper parent, DataViewRow input, HashSet<int> active)
        {
            this.parent = parent;
            this.input = input;
            this.active = active;
            var scorer = parent.scorer;
            inputs = new float[scorer.InputLength];
            current = new float[scorer.InputLength];
            activeOutputs = Enumerable.Range(0, scorer.OutputColumns.Count).Select(c => active.Contains(parent.InputSchema.Count + c)).ToArray();
            outputs = scorer.OutputLengths.Select(len => new float[len]).ToArray();
        }

        public override DataViewSchema Schema => parent.OutputSchema;

        public override long Position => input.Position;

        public override long Batch => input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var added = column.Index - parent.InputSchema.Count;
            if (added < 0) return input.GetGetter<TValue>(input.Schema[column.Index]);
            var length = parent.scorer.OutputLengths[added];
            return ScoredColumnGetter.Create<TValue>(column, length, () =>
            {
                EnsureScored();
                return outputs[added].AsMemory(0, length);
            });
        }

        private void EnsureScored()
        {
            // PredictionEngine reuses one row object and may report the same position for every call, so the cache
            // key is the input itself: rescore only when the features changed since the last call.
            var scorer = parent.scorer;
            featureGetter ??= input.GetGetter<VBuffer<float>>(input.Schema[scorer.InputColumnName]);
            featureGetter(ref buffer);
            ImageColumnValidator.CopyImage(buffer, current, scorer.InputColumnName, input.Position, scorer.Input);
            if (scorer.KeyColumnName is { } keyColumn)
            {
                keyGetter ??= KeyColumn.Getter(input, input.Schema[keyColumn]);
                key[0] = KeyColumn.ToUInt32(keyGetter());
            }
            // A cached answer too is refused once the model is disposed: every call that starts after Dispose throws.
            parent.scorer.Model.ThrowIfDisposed();
            if (scored && current.AsSpan().SequenceEqual(inputs) && key[0] == scoredKey) return;
            current.CopyTo(inputs, 0);
            if (scorer.KeyColumnName is null) scorer.Score(inputs, 1, activeOutputs, outputs);
            else scorer.Score(inputs, key, 1, activeOutputs, outputs);
            scoredKey = key[0];
            scored = true;
        }
    }
}
