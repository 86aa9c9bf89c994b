using MlNetCnn.Model;

namespace MlNetCnn.Attribution;

/// <summary>
/// One attribution (explanation) method: for each image, a map of how much each pixel (or pixel and channel) counts
/// toward one class. Every method answers the same verb with the same arguments, like Captum's <c>attribute</c>.
/// </summary>
public interface IAttributionMethod
{
    /// <summary>The registry name (<c>saliency</c>, <c>gradcam</c>, …).</summary>
    string Name { get; }

    /// <summary>True: maps are [C,H,W] (one value per pixel and colour channel); false: [H,W].</summary>
    bool KeepsChannels { get; }

    /// <summary>
    /// Attribution maps for <c>targets.Count</c> images laid out back to back in <paramref name="images"/> (planar
    /// [N,C,H,W] floats, as the model was trained on), image i explained for class <c>targets[i]</c>.
    /// </summary>
    /// <param name="model">The trained network; used read-only.</param>
    /// <param name="images">N×C×H×W planar values.</param>
    /// <param name="targets">0-based class index per image (an ML.NET key value k is class k − 1).</param>
    /// <returns>One map per image at input resolution.</returns>
    AttributionMaps Attribute(TrainedCnn model, ReadOnlySpan<float> images, IReadOnlyList<int> targets);
}
