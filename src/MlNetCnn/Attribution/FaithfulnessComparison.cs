namespace MlNetCnn.Attribution;

/// <summary>What <see cref="Faithfulness.Compare"/> measured: each method's maps and curves, and the random baseline's curves, on the same images.</summary>
public sealed record FaithfulnessComparison(IReadOnlyList<AttributionMaps> Maps, IReadOnlyList<FaithfulnessCurves> Curves, FaithfulnessCurves Random);
