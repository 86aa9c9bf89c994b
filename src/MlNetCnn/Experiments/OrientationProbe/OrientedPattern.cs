namespace MlNetCnn.Experiments.OrientationProbe;

/// <summary>
/// One synthetic probe image (planar C×H×W in [0,1]). <paramref name="OrientationDegrees"/> is the orientation of the
/// stripes or edge line, counter-clockwise from horizontal: 0° = horizontal stripes (intensity changes down the image),
/// 90° = vertical stripes.
/// </summary>
internal sealed record OrientedPattern(OrientedPatternKind Kind, double OrientationDegrees, double Period, double PhaseDegrees, string Colour, float[] Pixels);
