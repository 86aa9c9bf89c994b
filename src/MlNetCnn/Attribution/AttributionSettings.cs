namespace MlNetCnn.Attribution;

/// <summary>
/// What the registry passes to every method it creates; each method takes the settings it uses. This is the shape a
/// method author sees; a pipeline user sets <c>AttributionEstimator.Options</c> (with its <c>Defaults</c>), whose
/// method-side share becomes one of these. The defaults are written once, here and in the estimator, from
/// <see cref="AttributionMethod.DefaultBatchSize"/> and <see cref="SmoothGrad.Defaults.Seed"/>.
/// </summary>
public sealed class AttributionSettings
{
    /// <summary>Conv layer for layer methods (Grad-CAM); null = the last conv layer. Pixel methods ignore it.</summary>
    public string? Layer { get; init; }

    /// <summary>Images per pass through the network.</summary>
    public int BatchSize { get; init; } = AttributionMethod.DefaultBatchSize;

    /// <summary>Seed for methods that draw random numbers (SmoothGrad's noise).</summary>
    public int Seed { get; init; } = SmoothGrad.Defaults.Seed;
}
