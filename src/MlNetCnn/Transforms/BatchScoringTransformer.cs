using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Model;
using MlNetCnn.Transforms.Scoring;

namespace MlNetCnn.Transforms;

/// <summary>
/// The one scaffold of this library's transformers: check the input schema, then score lazily and in batches with
/// the transformer's scorer (as a data view, a row-to-row mapper or an output schema). Only the library derives from it.
/// </summary>
public abstract class BatchScoringTransformer : ITransformer, IDisposable
{
    private readonly bool ownsModel;
    private volatile bool disposed;

    private protected BatchScoringTransformer(TrainedCnn model, bool ownsModel)
    {
        Model = model;
        this.ownsModel = ownsModel;
    }

    /// <summary>The trained network this transformer runs.</summary>
    public TrainedCnn Model { get; }

    /// <inheritdoc />
    public bool IsRowToRowMapper => true;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ThrowIfDisposed();
        CheckInput(inputSchema);
        return BatchedInferenceDataView.AppendColumns(inputSchema, CreateScorer().OutputColumns);
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ThrowIfDisposed();
        CheckInput(input.Schema);
        return new BatchedInferenceDataView(input, CreateScorer());
    }

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ThrowIfDisposed();
        CheckInput(inputSchema);
        return new BatchScorerRowMapper(inputSchema, CreateScorer());
    }

    /// <summary>
    /// ML.NET's model format cannot hold a transformer written outside ML.NET (its save/load contexts are internal).
    /// Use <c>mlContext.Model.SaveSimpleCnn</c> (MlNetCnn.Persistence) instead.
    /// </summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => throw new NotSupportedException(
        $"{GetType().Name} cannot be written by mlContext.Model.Save: ML.NET keeps the API for custom model parts internal. " + SaveAdvice);

    /// <summary>Disposes <see cref="Model"/> when this transformer owns it; otherwise does nothing.</summary>
    /// <remarks>
    /// Safe while other threads score with it (a PredictionEngine, a cursor, an export): a batch in progress finishes
    /// before the network is freed; calls that start afterwards throw <see cref="ObjectDisposedException"/>.
    /// </remarks>
    public void Dispose()
    {
        disposed = true;
        // TrainedCnn.Dispose is idempotent and waits for uses in progress, so a model with several owners is safe.
        if (ownsModel) Model.Dispose();
        GC.SuppressFinalize(this);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);

    /// <summary>The second sentence of the <see cref="ICanSaveModel"/> error: how to save this transformer instead.</summary>
    private protected abstract string SaveAdvice { get; }

    /// <summary>Throws when the input lacks what the scorer reads (null schema included).</summary>
    internal abstract void CheckInput(DataViewSchema inputSchema);

    /// <summary>The same check on a schema shape, for the estimator.</summary>
    internal abstract void CheckInput(SchemaShape inputSchema);

    internal abstract IBatchScorer CreateScorer();
}
