namespace MlNetCnn.Model;

/// <summary>
/// The order of one image's values in an ML.NET feature column. ML.NET's <c>ExtractPixels</c> writes either; its
/// column type records only the dimensions, (C, H, W) or (H, W, C), not which order they are, so the model is told.
/// </summary>
public enum PixelLayout
{
    /// <summary>C×H×W: every value of the first colour plane, then the next plane (<c>ExtractPixels(interleavePixelColors: false)</c>,
    /// PyTorch's and ONNX's NCHW). The seed's layout and the default.</summary>
    Planar,

    /// <summary>H×W×C: the colour values of each pixel side by side (<c>ExtractPixels(interleavePixelColors: true)</c>, NHWC).</summary>
    Interleaved,
}
