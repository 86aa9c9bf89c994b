namespace MlNetCnn.Reporting.Blocks;

/// <summary>One named curve of a <see cref="LineChart"/>, drawn in the panel named <see cref="Panel"/>.</summary>
internal sealed record LineSeries(string Panel, string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);
