using MlNetCnn.Experiments;

namespace MlNetCnn.Tests.Experiments;

/// <summary>Two results of the same experiment agree: numbers, text and figure data.</summary>
internal static class ExperimentResultAssert
{
    public static void Same(ExperimentResult first, ExperimentResult second)
    {
        Assert.Equal(first.Verdict, second.Verdict);
        Assert.Equal(first.Explanation, second.Explanation);
        Assert.Equal(first.Measurements, second.Measurements);
        Assert.Equal(first.Heatmaps.Select(h => h.Values), second.Heatmaps.Select(h => h.Values));
        Assert.Equal(first.Charts.SelectMany(c => c.Series.SelectMany(s => s.Y)), second.Charts.SelectMany(c => c.Series.SelectMany(s => s.Y)));
        Assert.Equal(first.Tables.SelectMany(t => t.Rows.SelectMany(r => r)), second.Tables.SelectMany(t => t.Rows.SelectMany(r => r)));
    }
}
