namespace MlNetCnn.Reporting.Plotting;

/// <summary>
/// Pixel sizing for a plotly subplot grid with square cells. plotly.js splits the plot area with
/// step = 1 / (n - gap) and cell = step * (1 - gap), so fixing cell and gap in pixels fixes the figure size;
/// a correct size means scaleanchor never has to shrink a cell away from its subplot title.
/// </summary>
internal readonly record struct SubplotGrid(int Rows, int Columns, int CellPx, int GapXPx, int GapYPx)
{
    public static SubplotGrid For(int count, int columns, int cellPx, int gapXPx, int gapYPx)
    {
        var cols = Math.Max(1, Math.Min(columns, count));
        var rows = Math.Max(1, (count + cols - 1) / cols);
        return new SubplotGrid(rows, cols, cellPx, gapXPx, gapYPx);
    }

    /// <summary>plotly's layout.grid.xgap (fraction of one cell's share of the width).</summary>
    public double XGap => Columns > 1 ? (double)GapXPx / (CellPx + GapXPx) : 0.0;

    public double YGap => Rows > 1 ? (double)GapYPx / (CellPx + GapYPx) : 0.0;

    public int PlotWidth => Columns * CellPx + (Columns - 1) * GapXPx;

    public int PlotHeight => Rows * CellPx + (Rows - 1) * GapYPx;
}
