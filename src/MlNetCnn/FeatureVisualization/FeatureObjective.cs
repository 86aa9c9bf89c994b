namespace MlNetCnn.FeatureVisualization;

/// <summary>What a channel's picture is optimized to excite.</summary>
public enum FeatureObjective
{
    /// <summary>
    /// One unit of the channel's map: the unit nearest the map's centre whose receptive field lies inside the image
    /// (so the padding takes no part). What the unit "wants to see" within its receptive field.
    /// </summary>
    CentreUnit,

    /// <summary>The mean of the channel's whole map: a pattern the channel responds to wherever it appears.</summary>
    MapMean,
}
