using Microsoft.ML;
using MlNetCnn.Transforms.Schema;

namespace MlNetCnn.Transforms;

/// <summary>
/// The one scaffold of this library's estimators that train nothing: <see cref="Fit"/> checks the input and returns
/// the transformer made when the estimator was created. Only the library derives from it.
/// </summary>
/// <typeparam name="TTransformer">The transformer <see cref="Fit"/> returns.</typeparam>
public abstract class BatchScoringEstimator<TTransformer> : IEstimator<TTransformer>
    where TTransformer : BatchScoringTransformer
{
    private protected BatchScoringEstimator(TTransformer transformer) => Transformer = transformer;

    /// <summary>The transformer <see cref="Fit"/> returns (the same instance every time).</summary>
    internal TTransformer Transformer { get; }

    /// <summary>Checks the input columns and describes the added columns.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        Transformer.CheckInput(inputSchema);
        return SchemaShapes.Append(inputSchema, Transformer.CreateScorer().OutputColumns);
    }

    /// <summary>Validates the input schema (columns, types, C×H×W size) and returns the transformer.</summary>
    public TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Transformer.GetOutputSchema(input.Schema);
        return Transformer;
    }
}
