using MlNetCnn.Model;
using MlNetCnn.Reporting.Blocks;
using MlNetCnn.Reporting.CnnReport.Scan;
using static MlNetCnn.Reporting.CnnReport.ReportText;

namespace MlNetCnn.Reporting.CnnReport.Sections;

/// <summary>Confusion matrix and per-class accuracy over the whole test data.</summary>
internal sealed class ConfusionSection : IMeasuringSection
{
    /// <inheritdoc />
    public string Title => "Confusion matrix and per-class accuracy";

    /// <summary>Counts every labelled test row into the matrix.</summary>
    IRowAccumulator IMeasuringSection.CreateAccumulator(TrainedCnn model, CnnReportOptions options, IReadOnlyList<ConvLayerShape> layers)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new ConfusionCounts(model.ClassNames.Count);
    }

    /// <summary>The counts this section measured during the scan.</summary>
    internal static ConfusionCounts Counts(CnnReportData data) =>
        data.Measurement<ConfusionCounts>() ?? throw new InvalidOperationException("The confusion counts are measured only for a page with a ConfusionSection.");

    /// <inheritdoc />
    public void AddTo(ReportDocument report, CnnReportData data)
    {
        var counts = Counts(data);
        var confusion = counts.Counts;
        var accuracy = PerClassAccuracy(confusion);
        report.AddPart(Title, Explain(data))
            .Add(new ConfusionMatrix(confusion, data.ClassNames) { Title = $"Confusion matrix ({Int(counts.LabeledRows)} test images)" })
            .Add(new BarChart(data.ClassNames)
            {
                Title = "Per-class accuracy (share of each class predicted correctly)",
                YTitle = "accuracy",
                YRange = new ColorRange(0, 1),
                ValueFormat = ".0%",
                ShowValues = true,
            }.AddSeries("accuracy", [.. accuracy.Select(a => double.IsNaN(a) ? 0 : a)]));
    }

    /// <summary>Diagonal over row total per class; NaN for classes without test images.</summary>
    internal static double[] PerClassAccuracy(int[,] confusion)
    {
        var n = confusion.GetLength(0);
        var result = new double[n];
        for (var a = 0; a < n; a++)
        {
            long row = 0;
            for (var p = 0; p < n; p++) row += confusion[a, p];
            result[a] = row > 0 ? (double)confusion[a, a] / row : double.NaN;
        }

        return result;
    }

    /// <summary>Off-diagonal cells, most frequent first: (actual, predicted, count).</summary>
    internal static IReadOnlyList<(int Actual, int Predicted, int Count)> MostConfused(int[,] confusion, int count)
    {
        var n = confusion.GetLength(0);
        var cells = new List<(int, int, int)>();
        for (var a = 0; a < n; a++)
            for (var p = 0; p < n; p++)
                if (a != p && confusion[a, p] > 0) cells.Add((a, p, confusion[a, p]));
        return [.. cells.OrderByDescending(c => c.Item3).ThenBy(c => c.Item1).ThenBy(c => c.Item2).Take(count)];
    }

    /// <summary>"Best class: … ; worst: …", or what is true instead when that line would name one class twice.</summary>
    internal static string BestAndWorst(IReadOnlyList<string> names, double[] accuracy, IReadOnlyList<int> present)
    {
        if (present.Count == 0) return string.Empty;
        if (present.Count == 1)
            return $"All labelled test images are of one class, {names[present[0]]} ({Percent(accuracy[present[0]])} right), so no class can be compared with another.";
        var best = present.MaxBy(c => accuracy[c]);
        var worst = present.MinBy(c => accuracy[c]);
        if (accuracy[best] == accuracy[worst])
            return $"Every class with test images scores the same: {Percent(accuracy[best])}.";
        return $"Best class: {names[best]} ({Percent(accuracy[best])}); worst: {names[worst]} ({Percent(accuracy[worst])}).";
    }

    internal static string Explain(CnnReportData data)
    {
        var counts = Counts(data);
        var confusion = counts.Counts;
        var n = confusion.GetLength(0);
        var total = counts.LabeledRows;
        if (total == 0) return "No test row had both a true and a predicted label, so there is nothing to count.";
        long correct = 0;
        for (var c = 0; c < n; c++) correct += confusion[c, c];
        var accuracy = PerClassAccuracy(confusion);
        var present = Enumerable.Range(0, n).Where(c => !double.IsNaN(accuracy[c])).ToList();
        var rowTotals = Enumerable.Range(0, n).Select(a => Enumerable.Range(0, n).Sum(p => (long)confusion[a, p])).ToArray();
        var text = $"Rows are the true class, columns the prediction; the diagonal counts correct answers. Over {Int(total)} test images the network is right {Int(correct)} times: " +
                   $"accuracy {Percent((double)correct / total)}, against {Percent(1.0 / n)} for guessing among {n} classes. " +
                   BestAndWorst(data.ClassNames, accuracy, present);
        var confused = MostConfused(confusion, data.Options.TopConfusions);
        if (confused.Count > 0)
        {
            text += "\n\nMost frequent confusions:\n" + string.Join("\n", confused.Select(c =>
                $"- {data.ClassNames[c.Actual]} taken for {data.ClassNames[c.Predicted]}: {Plural(c.Count, "time")} ({Percent((double)c.Count / rowTotals[c.Actual])} of the {Int(rowTotals[c.Actual])} {data.ClassNames[c.Actual]} images)" +
                (confusion[c.Predicted, c.Actual] > 0 ? $"; the reverse happens {Plural(confusion[c.Predicted, c.Actual], "time")}" : string.Empty)));
        }

        return text;
    }
}
