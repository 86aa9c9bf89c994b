namespace MlNetCnn.Experiments.Figures;

/// <summary>How a heatmap's values should be coloured.</summary>
public enum HeatmapScale
{
    /// <summary>Non-negative magnitudes (activations, saliency).</summary>
    Sequential,

    /// <summary>Signed values centred on zero (differences, kernel weights).</summary>
    Diverging,
}
