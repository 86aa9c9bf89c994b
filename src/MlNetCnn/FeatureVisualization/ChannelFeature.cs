namespace MlNetCnn.FeatureVisualization;

/// <summary>One channel's optimized input and what it reached.</summary>
/// <param name="Channel">0-based channel (or class) index.</param>
/// <param name="Picture">The input, planar C×H×W like the model's images: in [0, 1] for
/// <see cref="FeatureParameterization.Picture"/>, raw values of the fixed norm for <see cref="FeatureParameterization.FixedNorm"/>.</param>
/// <param name="Activation">The objective on the picture, as the report shows activations: post-ReLU for a conv channel
/// (the centre unit's value or the map's mean), the logit for a class.</param>
/// <param name="PreActivation">The same objective before the ReLU (the conv output), which is what is optimized, so a
/// channel whose units are all negative still has a gradient; equal to <see cref="Activation"/> for a class logit.</param>
public sealed record ChannelFeature(int Channel, float[] Picture, float Activation, float PreActivation);
