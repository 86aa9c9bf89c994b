using System.Globalization;
using MlNetCnn.Model;
using MlNetCnn.Reporting;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Reporting.CnnReport.Scan;

namespace MlNetCnn.Tests.Reporting.CnnReport.Scan;

/// <summary>
/// A section a report author could write, with data no library section measures: each class's mean pixel value over
/// every test image. Everything it needs is in this one file; adding it to a page is one line in a section list.
/// </summary>
public sealed class MeanBrightnessSection : IMeasuringSection
{
    public string Title => "Mean brightness per class";

    public IRowAccumulator CreateAccumulator(TrainedCnn model, CnnReportOptions options, IReadOnlyList<ConvLayerShape> layers) =>
        new Sums(model.ClassNames.Count);

    public void AddTo(ReportDocument report, CnnReportData data)
    {
        var sums = data.Measurement<Sums>()!;
        var rows = Enumerable.Range(0, data.ClassNames.Count)
            .Select(k => (IReadOnlyList<string>)[data.ClassNames[k], sums.Images[k].ToString(CultureInfo.InvariantCulture), Format(sums.Mean(k))]);
        // Public API only (PagePart.AddTable), as a section outside the library must be written.
        report.AddPart(Title, $"Over {sums.Images.Sum().ToString(CultureInfo.InvariantCulture)} labelled test images.")
            .AddTable(["class", "images", "mean pixel value"], rows);
    }

    public static string Format(double value) => value.ToString("F6", CultureInfo.InvariantCulture);

    /// <summary>Per class, the sum of every pixel value (float64) and the number of images.</summary>
    public sealed class Sums(int classes) : IRowAccumulator
    {
        private readonly double[] sum = new double[classes];

        public long[] Images { get; } = new long[classes];

        public int Length { get; private set; }

        public void Accept(ScannedRow row)
        {
            if (row.Label < 0) return;
            var image = row.Image();
            Length = image.Length;
            foreach (var v in image) sum[row.Label] += v;
            Images[row.Label]++;
        }

        public double Mean(int classIndex) => Images[classIndex] > 0 ? sum[classIndex] / ((double)Images[classIndex] * Length) : double.NaN;
    }
}
