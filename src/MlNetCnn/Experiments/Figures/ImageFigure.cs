namespace MlNetCnn.Experiments.Figures;

/// <summary>A row or grid of pictures (input images, top-activating patches).</summary>
public sealed record ImageFigure(string Title, IReadOnlyList<ImagePanel> Images);
