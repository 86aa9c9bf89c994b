namespace MlNetCnn.Experiments.Figures;

/// <summary>How a <see cref="ChartFigure"/> is drawn.</summary>
public enum ChartKind
{
    /// <summary>Lines through the points of each series.</summary>
    Line,
    /// <summary>Bars, one group per x value or category.</summary>
    Bar,
}
