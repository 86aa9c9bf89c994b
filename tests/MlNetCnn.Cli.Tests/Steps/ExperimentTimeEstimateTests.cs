using MlNetCnn.Cli.Steps;
using MlNetCnn.Experiments;

namespace MlNetCnn.Cli.Tests.Steps;

public sealed class ExperimentTimeEstimateTests
{
    [Fact]
    public void TheEstimateScalesTheMeasuredCostByRunsImagesEpochsAndCores()
    {
        // The measurement itself: 50 runs on the subset at 2 epochs took 237.35 + 3.84 CPU s.
        Assert.Equal(241.19, ExperimentTimeEstimate.CpuSeconds(50, 5085, 2), 9);
        Assert.Equal(241.19 / 50 * 10 * (2542.0 / 5085) * 3, ExperimentTimeEstimate.CpuSeconds(10, 5085 / 2, 6), 9);
        // A budget that caps the training images counts only those it uses.
        var capped = new ExperimentBudget { TrainImages = 1017, Training = new() { Epochs = 2 } };
        Assert.Equal(ExperimentTimeEstimate.CpuSeconds(9, 1017, 2), ExperimentTimeEstimate.CpuSeconds(9, capped, 5085), 9);

        var idle = ExperimentTimeEstimate.Describe(198, workers: 2, loadAverage: 0.5, cores: 2);
        Assert.StartsWith("Estimated time: about 1.7 min on an idle machine (198 CPU s over 2 core(s)", idle, StringComparison.Ordinal);
        Assert.DoesNotContain("busy", idle, StringComparison.Ordinal);
        var busy = ExperimentTimeEstimate.Describe(198, workers: 2, loadAverage: 8, cores: 2);
        Assert.Contains("load average 8.0 on 2 cores), so expect up to about 6.6 min", busy, StringComparison.Ordinal);
    }
}
