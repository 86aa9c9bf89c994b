namespace MlNetCnn.FeatureVisualization;

/// <summary>
/// The square input window a conv-output unit depends on (its theoretical receptive field), in input pixels; it may
/// reach past the image's edges, where the model sees padding.
/// </summary>
/// <param name="Top">First input row (negative when the window starts in the padding).</param>
/// <param name="Left">First input column.</param>
/// <param name="Side">Rows and columns of the window.</param>
public sealed record UnitField(int Top, int Left, int Side);
