namespace MlNetCnn.Experiments.OrientationProbe;

internal enum OrientedPatternKind
{
    /// <summary>A sinusoidal grating: stripes of the given period and phase.</summary>
    Grating,

    /// <summary>A step edge through the image centre; phase 0° and 180° are its two polarities.</summary>
    Edge,
}
