namespace MlNetCnn.FeatureVisualization;

/// <summary>
/// The optimized inputs of every channel of one conv layer (or every class logit), with the settings that made them.
/// </summary>
public sealed class FeatureVisualizationResult
{
    internal FeatureVisualizationResult(string target, FeatureObjective objective, FeatureParameterization parameterization,
        int inputChannels, int height, int width, (int Row, int Column)? unit, int seed, int steps, IReadOnlyList<ChannelFeature> channels)
    {
        (Target, Objective, Parameterization, InputChannels, Height, Width, Unit, Seed, Steps, Channels) =
            (target, objective, parameterization, inputChannels, height, width, unit, seed, steps, channels);
    }

    /// <summary>The conv layer (<c>conv1</c>, …) or <see cref="FeatureVisualizer.LogitsTarget"/>.</summary>
    public string Target { get; }

    /// <summary>What was maximized (ignored for class logits, which have no map).</summary>
    public FeatureObjective Objective { get; }

    /// <summary>How the inputs were represented and constrained.</summary>
    public FeatureParameterization Parameterization { get; }

    /// <summary>Channels of each picture (the model's input channels: 3 colour, 1 grey).</summary>
    public int InputChannels { get; }

    /// <summary>Height of each picture (the model's input height).</summary>
    public int Height { get; }

    /// <summary>Width of each picture (the model's input width).</summary>
    public int Width { get; }

    /// <summary>The conv-output unit (row, column) whose value was maximized for <see cref="FeatureObjective.CentreUnit"/>; null otherwise.</summary>
    public (int Row, int Column)? Unit { get; }

    /// <summary>The seed the starting inputs and the shifts came from.</summary>
    public int Seed { get; }

    /// <summary>Optimization steps taken.</summary>
    public int Steps { get; }

    /// <summary>One entry per channel (or class), in channel order.</summary>
    public IReadOnlyList<ChannelFeature> Channels { get; }

    /// <summary>Values in one picture: <see cref="InputChannels"/> × <see cref="Height"/> × <see cref="Width"/>.</summary>
    public int PictureLength => InputChannels * Height * Width;
}
