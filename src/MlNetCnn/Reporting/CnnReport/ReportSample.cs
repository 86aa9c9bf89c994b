namespace MlNetCnn.Reporting.CnnReport;

/// <summary>One chosen test image with what the network made of it.</summary>
/// <param name="Row">0-based position in the test data.</param>
/// <param name="Label">True class index (0-based), or -1 when the label is missing.</param>
/// <param name="Predicted">Predicted class index (0-based), or -1 when missing.</param>
/// <param name="Confidence">Probability of the predicted class, or null when the data had no score column.</param>
/// <param name="Image">Planar C×H×W input values.</param>
/// <param name="Maps">Per shown conv layer (same order as <see cref="CnnReportData.Layers"/>), the C×H×W map read from its column.</param>
/// <param name="File">The image file (the image-folder reader's <c>ImagePath</c>) when the data has one: a reader can find it, where a row number is a position in a shuffled split.</param>
internal sealed record ReportSample(long Row, int Label, int Predicted, float? Confidence, float[] Image, IReadOnlyList<float[]> Maps, string? File = null)
{
    /// <summary>True when the image has a label and the prediction matches it.</summary>
    public bool IsCorrect => Label >= 0 && Label == Predicted;
}
