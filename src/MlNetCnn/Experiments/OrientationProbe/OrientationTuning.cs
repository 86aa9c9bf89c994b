namespace MlNetCnn.Experiments.OrientationProbe;

/// <summary>
/// One channel's orientation tuning: the mean rectified response at each probe orientation, the preferred orientation
/// (vector mean on doubled angles) and its selectivity |Σ R·e^{2iθ}| / Σ R (0 = untuned, 1 = a single orientation).
/// <paramref name="PValue"/> is the share of random control kernels (same mean weight, deviation norm and bias) at least as selective, (1 + count) / (1 + controls).
/// </summary>
internal sealed record OrientationTuning(int Channel, IReadOnlyList<double> Orientations, IReadOnlyList<double> Responses, double PreferredDegrees, double Selectivity, double PValue);
