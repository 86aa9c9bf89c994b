namespace MlNetCnn.Experiments;

/// <summary>A table of already formatted cells (invariant culture); every row has one cell per column.</summary>
public sealed record TableFigure(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public IReadOnlyList<IReadOnlyList<string>> Rows { get; init; } = Rows.All(r => r.Count == Columns.Count) ? Rows
        : throw new ArgumentException($"Table '{Title}': every row needs {Columns.Count} cells.", nameof(Rows));
}
