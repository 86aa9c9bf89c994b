namespace MlNetCnn.Reporting.Plotting;

/// <summary>Colour scales as plotly.js [position, colour] pairs, spelled out so the look does not depend on named presets.</summary>
internal static class ColorScales
{
    /// <summary>Viridis: perceptually uniform, readable in greyscale; for activations (mostly non-negative).</summary>
    public static readonly object[][] Sequential =
    [
        [0.0, "#440154"], [0.125, "#472d7b"], [0.25, "#3b528b"], [0.375, "#2c728e"], [0.5, "#21918c"],
        [0.625, "#28ae80"], [0.75, "#5ec962"], [0.875, "#addc30"], [1.0, "#fde725"],
    ];

    /// <summary>Blue–white–red: white is zero, so the sign of a kernel weight is visible at a glance.</summary>
    public static readonly object[][] Diverging =
    [
        [0.0, "#053061"], [0.125, "#2166ac"], [0.25, "#4393c3"], [0.375, "#92c5de"], [0.5, "#f7f7f7"],
        [0.625, "#f4a582"], [0.75, "#d6604d"], [0.875, "#b2182b"], [1.0, "#67001f"],
    ];

    /// <summary>White to dark blue; for counts and shares.</summary>
    public static readonly object[][] Blues =
    [
        [0.0, "#f7fbff"], [0.25, "#c6dbef"], [0.5, "#6baed6"], [0.75, "#2171b5"], [1.0, "#08306b"],
    ];

    /// <summary>Qualitative palette for series (Tableau 10): distinct and colour-blind tolerant.</summary>
    public static readonly string[] Series =
    [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
        "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    ];
}
