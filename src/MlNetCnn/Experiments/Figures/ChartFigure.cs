namespace MlNetCnn.Experiments.Figures;

/// <summary>A line or bar chart of one or more series sharing axes.</summary>
public sealed record ChartFigure(string Title, ChartKind Kind, string XLabel, string YLabel, IReadOnlyList<ChartSeries> Series);
