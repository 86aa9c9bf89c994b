namespace MlNetCnn.Experiments.LinearProbe;

/// <summary>One image of a linear-probe data set: planar C×H×W pixels (typed [C,H,W] by the schema) and a 0-based class.</summary>
internal sealed class ProbeRow
{
    public float[] Features { get; set; } = Array.Empty<float>();

    public uint Label { get; set; }
}
