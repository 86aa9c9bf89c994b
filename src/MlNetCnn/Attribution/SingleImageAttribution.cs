using MlNetCnn.Model;

namespace MlNetCnn.Attribution;

/// <summary>One-image forms of the attribution verb, for app code that explains one picture at a time.</summary>
internal static class SingleImageAttribution
{
    /// <summary>
    /// <paramref name="method"/>'s map of one image (C×H×W planar values) for class <paramref name="target"/> (0-based),
    /// as [channels, height, width]; channels is 1 for methods that give one value per pixel (Grad-CAM, occlusion).
    /// </summary>
    public static float[,,] AttributeImage(this IAttributionMethod method, TrainedCnn model, ReadOnlySpan<float> image, int target)
    {
        ArgumentNullException.ThrowIfNull(method);
        return method.Attribute(model, image, new[] { target }).ToArray(0);
    }
}
