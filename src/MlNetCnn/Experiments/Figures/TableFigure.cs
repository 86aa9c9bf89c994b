namespace MlNetCnn.Experiments.Figures;

/// <summary>A table of already formatted cells (invariant culture); every row has one cell per column.</summary>
public sealed record TableFigure(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>The rows, each with one cell per column.</summary>
    /// <exception cref="ArgumentException">A row's cell count differs from the column count.</exception>
    public IReadOnlyList<IReadOnlyList<string>> Rows { get; init; } = Rows.All(r => r.Count == Columns.Count) ? Rows
        : throw new ArgumentException($"Table '{Title}': every row needs {Columns.Count} cells.", nameof(Rows));
}
