namespace MlNetCnn.Reporting.CnnReport.Scan;

/// <summary>
/// One row of the report's scan of the test data, as every <see cref="IRowAccumulator"/> sees it. The image, file name
/// and confidence are read from the data only when an accumulator asks, and at most once per row.
/// </summary>
public sealed class ScannedRow
{
    private readonly Func<float[]> readImage;
    private readonly Func<string?> readFile;
    private readonly Func<float?> readConfidence;
    private float[]? image;
    private string? file;
    private bool fileRead;
    private float? confidence;
    private bool confidenceRead;

    internal ScannedRow(IReadOnlyList<float[]> maps, Func<float[]> readImage, Func<string?> readFile, Func<float?> readConfidence)
    {
        Maps = maps;
        this.readImage = readImage;
        this.readFile = readFile;
        this.readConfidence = readConfidence;
    }

    /// <summary>0-based position in the test data.</summary>
    public long Row { get; private set; }

    /// <summary>True class index (0-based), or -1 when the label is missing or out of range.</summary>
    public int Label { get; private set; }

    /// <summary>Predicted class index (0-based), or -1 when missing.</summary>
    public int Predicted { get; private set; }

    /// <summary>Per shown conv layer (as <see cref="CnnReportData.Layers"/>), the row's dense post-ReLU C×H×W map; reused for the next row.</summary>
    public IReadOnlyList<float[]> Maps { get; }

    /// <summary>The row's planar C×H×W input image, values in [0, 1]; a new array per row, so it may be kept.</summary>
    public float[] Image() => image ??= readImage();

    /// <summary>The row's image file when the data has one (image folders), else null.</summary>
    public string? File()
    {
        if (!fileRead)
        {
            file = readFile();
            fileRead = true;
        }

        return file;
    }

    /// <summary>Probability of the predicted class, or null when the data has no score column or no prediction.</summary>
    public float? Confidence()
    {
        if (!confidenceRead)
        {
            confidence = readConfidence();
            confidenceRead = true;
        }

        return confidence;
    }

    internal void MoveTo(long row, int label, int predicted)
    {
        (Row, Label, Predicted) = (row, label, predicted);
        (image, file, fileRead, confidence, confidenceRead) = (null, null, false, null, false);
    }
}
