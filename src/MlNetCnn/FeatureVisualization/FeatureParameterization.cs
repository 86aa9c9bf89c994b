namespace MlNetCnn.FeatureVisualization;

/// <summary>How the optimized input is represented and constrained (see docs/feature-visualization.md).</summary>
public enum FeatureParameterization
{
    /// <summary>
    /// A picture a person can look at: pixels = sigmoid(colour-decorrelated logits), so every value stays in [0, 1],
    /// the range the model was trained on; a random shift of up to <see cref="FeatureVisualizer.Jitter"/> pixels each
    /// step and a total-variation penalty keep single-pixel noise out; Adam on the logits.
    /// </summary>
    Picture,

    /// <summary>
    /// Raw input values on a sphere: the input's L2 norm is held at <see cref="FeatureVisualizer.Norm"/> (projected
    /// back after every step of normalized gradient ascent), no range limit, no transforms, no penalty. For a linear
    /// unit w·x + b the optimum is x ∝ w, so this mode checks the optimizer against a closed form.
    /// </summary>
    FixedNorm,
}
