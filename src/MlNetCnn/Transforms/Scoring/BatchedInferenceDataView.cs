using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Transforms.Schema;

namespace MlNetCnn.Transforms.Scoring;

/// <summary>
/// The input view plus the columns an <see cref="IBatchScorer"/> computes, evaluated lazily in batches while
/// cursoring. Two input cursors advance in lockstep: a leading one reads the feature column a batch ahead and feeds
/// the scorer; a trailing one serves the pass-through columns for the current row. Nothing is materialised beyond
/// one batch.
/// </summary>
internal sealed class BatchedInferenceDataView : IDataView
{
    private readonly IDataView input;
    private readonly IBatchScorer scorer;
    private readonly int inputColumnCount;

    public BatchedInferenceDataView(IDataView input, IBatchScorer scorer)
    {
        this.input = input;
        this.scorer = scorer;
        inputColumnCount = input.Schema.Count;
        Schema = AppendColumns(input.Schema, scorer.OutputColumns);
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => input.GetRowCount();

    /// <summary>The input schema followed by the added columns (an added name hides an input column of the same name).</summary>
    public static DataViewSchema AppendColumns(DataViewSchema inputSchema, DataViewSchema added)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumns(added);
        return builder.ToSchema();
    }

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.Select(c => c.Index).ToHashSet();
        var active = new bool[scorer.OutputColumns.Count];
        for (var c = 0; c < active.Length; c++) active[c] = needed.Contains(inputColumnCount + c);

        var passThrough = input.Schema.Where(c => needed.Contains(c.Index)).ToList();
        var trailing = input.GetRowCursor(passThrough);
        DataViewRowCursor? leading = null;
        if (active.Any(a => a))
        {
            var read = new List<DataViewSchema.Column> { input.Schema[scorer.InputColumnName] };
            if (scorer.KeyColumnName is { } key) read.Add(input.Schema[key]);
            leading = input.GetRowCursor(read);
        }
        return new Cursor(this, trailing, leading, active, needed);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly BatchedInferenceDataView parent;
        private readonly DataViewRowCursor trailing;
        private readonly DataViewRowCursor? leading;
        private readonly ValueGetter<VBuffer<float>>? featureGetter;
        private readonly Func<ulong>? keyGetter;
        private readonly uint[] batchKeys;
        private readonly bool[] active;
        private readonly HashSet<int> needed;
        private readonly float[] batchInputs;
        private readonly float[][] batchOutputs;
        private VBuffer<float> row;
        private int batchCount;
        private int indexInBatch = -1;
        private bool leadingDone;

        public Cursor(BatchedInferenceDataView parent, DataViewRowCursor trailing, DataViewRowCursor? leading, bool[] active, HashSet<int> needed)
        {
            this.parent = parent;
            this.trailing = trailing;
            this.leading = leading;
            this.active = active;
            this.needed = needed;
            var scorer = parent.scorer;
            batchInputs = new float[scorer.BatchSize * scorer.InputLength];
            batchOutputs = scorer.OutputLengths.Select((len, c) => active[c] ? new float[scorer.BatchSize * len] : Array.Empty<float>()).ToArray();
            batchKeys = new uint[scorer.KeyColumnName is null ? 0 : scorer.BatchSize];
            if (leading != null)
            {
                featureGetter = leading.GetGetter<VBuffer<float>>(leading.Schema[scorer.InputColumnName]);
                if (scorer.KeyColumnName is { } key) keyGetter = KeyColumn.Getter(leading, leading.Schema[key]);
            }
        }

        public override DataViewSchema Schema => parent.Schema;

        public override long Position => trailing.Position;

        public override long Batch => 0;

        public override ValueGetter<DataViewRowId> GetIdGetter() => trailing.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => needed.Contains(column.Index);

        public override bool MoveNext()
        {
            if (!trailing.MoveNext()) return false;
            if (leading == null) return true;
            indexInBatch++;
            if (indexInBatch >= batchCount) FillBatch();
            return true;
        }

        private void FillBatch()
        {
            var scorer = parent.scorer;
            batchCount = 0;
            indexInBatch = 0;
            while (batchCount < scorer.BatchSize && !leadingDone)
            {
                if (!leading!.MoveNext())
                {
                    leadingDone = true;
                    break;
                }
                featureGetter!(ref row);
                ImageColumnValidator.CopyImage(row, batchInputs.AsSpan(batchCount * scorer.InputLength, scorer.InputLength), scorer.InputColumnName, leading.Position, scorer.Input);
                if (keyGetter != null) batchKeys[batchCount] = KeyColumn.ToUInt32(keyGetter());
                batchCount++;
            }
            if (batchCount == 0)
                throw new InvalidOperationException("The input view yielded fewer rows to the scoring cursor than to the pass-through cursor; it must return rows in the same order on every cursor.");
            if (keyGetter != null) scorer.Score(batchInputs, batchKeys, batchCount, active, batchOutputs);
            else scorer.Score(batchInputs, batchCount, active, batchOutputs);
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
            var added = column.Index - parent.inputColumnCount;
            if (added < 0) return trailing.GetGetter<TValue>(trailing.Schema[column.Index]);

            var length = parent.scorer.OutputLengths[added];
            var outputs = batchOutputs[added];
            return ScoredColumnGetter.Create<TValue>(column, length, () => outputs.AsMemory(indexInBatch * length, length));
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                trailing.Dispose();
                leading?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
