using MlNetCnn.Reporting.CnnReport.Scan;

namespace MlNetCnn.Reporting.CnnReport.Sections;

/// <summary>What the confusion section measures: [actual, predicted] counts over every test row with both labels.</summary>
internal sealed class ConfusionCounts(int classes) : IRowAccumulator
{
    private readonly int[,] counts = new int[classes, classes];

    public void Accept(ScannedRow row)
    {
        if (row.Label >= 0 && row.Predicted >= 0) counts[row.Label, row.Predicted]++;
    }

    /// <summary>Counts [actual, predicted] (0-based class indices); a copy.</summary>
    public int[,] Counts => (int[,])counts.Clone();

    /// <summary>Rows with both a true and a predicted label, i.e. the matrix total.</summary>
    public long LabeledRows
    {
        get
        {
            long n = 0;
            foreach (var c in counts) n += c;
            return n;
        }
    }
}
