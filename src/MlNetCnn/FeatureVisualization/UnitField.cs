namespace MlNetCnn.FeatureVisualization;

/// <summary>
/// The square input window a conv-output unit depends on (its theoretical receptive field), in input pixels; it may
/// reach past the image's edges, where the model sees padding.
/// </summary>
public sealed class UnitField
{
    internal UnitField(int top, int left, int side)
    {
        Top = top;
        Left = left;
        Side = side;
    }

    /// <summary>First input row (negative when the window starts in the padding).</summary>
    public int Top { get; }

    /// <summary>First input column.</summary>
    public int Left { get; }

    /// <summary>Rows and columns of the window.</summary>
    public int Side { get; }
}
