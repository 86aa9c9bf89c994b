namespace MlNetCnn.FeatureVisualization;

/// <summary>One channel's optimized input and what it reached.</summary>
public sealed class ChannelFeature
{
    internal ChannelFeature(int channel, float[] picture, float activation, float preActivation)
    {
        Channel = channel;
        Picture = picture;
        Activation = activation;
        PreActivation = preActivation;
    }

    /// <summary>0-based channel (or class) index.</summary>
    public int Channel { get; }

    /// <summary>The input, planar C×H×W like the model's images: in [0, 1] for
    /// <see cref="FeatureParameterization.Picture"/>, raw values of the fixed norm for <see cref="FeatureParameterization.FixedNorm"/>.</summary>
    public float[] Picture { get; }

    /// <summary>The objective on the picture, as the report shows activations: post-ReLU for a conv channel
    /// (the centre unit's value or the map's mean), the logit for a class.</summary>
    public float Activation { get; }

    /// <summary>The same objective before the ReLU (the conv output), which is what is optimized, so a
    /// channel whose units are all negative still has a gradient; equal to <see cref="Activation"/> for a class logit.</summary>
    public float PreActivation { get; }
}
