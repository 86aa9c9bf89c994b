namespace MlNetCnn.Experiments;

/// <summary>One row of a linear-probe data set: a flattened feature map (or raw pixels) and a 0-based class.</summary>
internal sealed class ProbeRow
{
    public float[] Features { get; set; } = Array.Empty<float>();

    public uint Label { get; set; }
}
