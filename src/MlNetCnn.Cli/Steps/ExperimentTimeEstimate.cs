using System.Globalization;
using MlNetCnn.Experiments;

namespace MlNetCnn.Cli.Steps;

/// <summary>
/// How long <c>mlnetcnn experiment</c> will take, said before it starts: a measured cost per experiment run scaled by
/// runs, training images, epochs and the cores the runs share. The cost is
/// <c>experiment all</c>'s CPU time on the shared subset (5,085 training images, default budget of 2 epochs, 1 thread):
/// 237.35 s user + 3.84 s system for 10 experiments × 5 seeds = 4.8 CPU s per run (docs/benchmarks.md, 2026-12-07
/// 23:36–23:38 UTC on an idle 2-core machine, after the fused Adam step; wall clock 124.7 s). Runs
/// are CPU-bound, so an idle machine's wall clock is about CPU time / cores; a loaded machine is slower.
/// </summary>
public static class ExperimentTimeEstimate
{
    /// <summary>CPU seconds of one experiment run at the reference size (measured, see the class summary).</summary>
    public const double CpuSecondsPerRun = (237.35 + 3.84) / 50;

    /// <summary>Training images of the measurement (the shared subset).</summary>
    public const int ReferenceTrainImages = 5085;

    /// <summary>Epochs of the measurement (the default budget's).</summary>
    public const int ReferenceEpochs = 2;

    /// <summary>Estimated CPU seconds of <paramref name="runs"/> runs on <paramref name="trainImages"/> training images for <paramref name="epochs"/> epochs.</summary>
    public static double CpuSeconds(int runs, int trainImages, int epochs) =>
        CpuSecondsPerRun * runs * ((double)trainImages / ReferenceTrainImages) * ((double)epochs / ReferenceEpochs);

    /// <summary>Estimated CPU seconds for a budget on data of <paramref name="availableTrainImages"/> training images (the budget may cap them).</summary>
    public static double CpuSeconds(int runs, ExperimentBudget budget, int availableTrainImages) =>
        CpuSeconds(runs, Math.Min(availableTrainImages, budget.TrainImages ?? availableTrainImages), budget.Training.Epochs);

    /// <summary>The line printed before the runs start, with the machine's current load when it is above its cores.</summary>
    public static string Describe(double cpuSeconds, int workers, double? loadAverage, int cores)
    {
        var inv = CultureInfo.InvariantCulture;
        var idle = cpuSeconds / Math.Max(1, workers);
        var text = $"Estimated time: about {Readable(idle)} on an idle machine ({cpuSeconds.ToString("N0", inv)} CPU s over {workers} core(s), " +
                   $"from {CpuSecondsPerRun.ToString("0.0", inv)} CPU s per experiment run measured on {ReferenceTrainImages.ToString("N0", inv)} images × {ReferenceEpochs} epochs)";
        if (loadAverage is { } load && load > cores)
            text += $"; the machine is busy (load average {load.ToString("0.0", inv)} on {cores} cores), so expect up to about {Readable(idle * Math.Min(20, load / cores))}";
        return text + ".";
    }

    /// <summary>The 1-minute load average (Linux /proc/loadavg), or null where there is none.</summary>
    public static double? LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.TryParse(text.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>"40 s", "2.5 min": the rounding an estimate deserves.</summary>
    public static string Readable(double seconds) => seconds < 90
        ? $"{Math.Max(1, Math.Round(seconds)).ToString("0", CultureInfo.InvariantCulture)} s"
        : $"{(seconds / 60).ToString("0.0", CultureInfo.InvariantCulture)} min";
}
