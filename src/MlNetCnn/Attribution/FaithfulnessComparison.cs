namespace MlNetCnn.Attribution;

/// <summary>What <see cref="Faithfulness.Compare"/> measured: each method's maps and curves, and the random baseline's curves, on the same images.</summary>
public sealed class FaithfulnessComparison
{
    internal FaithfulnessComparison(IReadOnlyList<AttributionMaps> maps, IReadOnlyList<FaithfulnessCurves> curves, FaithfulnessCurves random)
    {
        Maps = maps;
        Curves = curves;
        Random = random;
    }

    /// <summary>Each method's maps, in the order the methods were given.</summary>
    public IReadOnlyList<AttributionMaps> Maps { get; }

    /// <summary>Each method's deletion and insertion curves, in the same order.</summary>
    public IReadOnlyList<FaithfulnessCurves> Curves { get; }

    /// <summary>The random baseline's curves on the same images.</summary>
    public FaithfulnessCurves Random { get; }
}
