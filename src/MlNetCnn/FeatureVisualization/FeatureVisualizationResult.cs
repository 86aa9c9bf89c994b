namespace MlNetCnn.FeatureVisualization;

/// <summary>
/// The optimized inputs of every channel of one conv layer (or every class logit), with the settings that made them.
/// </summary>
public sealed class FeatureVisualizationResult
{
    internal FeatureVisualizationResult(string target, FeatureObjective objective, FeatureParameterization parameterization,
        int inputChannels, int height, int width, (int Row, int Column)? unit, UnitField? field, int seed, int steps, IReadOnlyList<ChannelFeature> channels)
    {
        (Target, Objective, Parameterization, InputChannels, Height, Width, Unit, Field, Seed, Steps, Channels) =
            (target, objective, parameterization, inputChannels, height, width, unit, field, seed, steps, channels);
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

    /// <summary>The receptive field of <see cref="Unit"/>: the only pixels the objective depends on; null without a unit.</summary>
    public UnitField? Field { get; }

    /// <summary>The seed the starting inputs and the shifts came from.</summary>
    public int Seed { get; }

    /// <summary>Optimization steps taken.</summary>
    public int Steps { get; }

    /// <summary>One entry per channel (or class), in channel order.</summary>
    public IReadOnlyList<ChannelFeature> Channels { get; }

    /// <summary>Values in one picture: <see cref="InputChannels"/> × <see cref="Height"/> × <see cref="Width"/>.</summary>
    public int PictureLength => InputChannels * Height * Width;

    /// <summary>Side of <see cref="Crop"/>'s square (the field's side), or 0 without a <see cref="Field"/>.</summary>
    public int CropSide => Field?.Side ?? 0;

    /// <summary>
    /// Channel <paramref name="channel"/>'s picture cut to the unit's receptive field, C × side × side (0 where the
    /// field lies outside the image) — what the unit sees, at the scale of the explorer's top test crops; the whole
    /// picture when there is no <see cref="Field"/> (map mean, class logits).
    /// </summary>
    public float[] Crop(int channel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, Channels.Count);
        var picture = Channels[channel].Picture;
        if (Field is not { } f) return (float[])picture.Clone();
        var crop = new float[InputChannels * f.Side * f.Side];
        for (var c = 0; c < InputChannels; c++)
            for (var y = 0; y < f.Side; y++)
                for (var x = 0; x < f.Side; x++)
                {
                    var (sy, sx) = (f.Top + y, f.Left + x);
                    if (sy < 0 || sy >= Height || sx < 0 || sx >= Width) continue;
                    crop[(c * f.Side + y) * f.Side + x] = picture[(c * Height + sy) * Width + sx];
                }

        return crop;
    }
}
