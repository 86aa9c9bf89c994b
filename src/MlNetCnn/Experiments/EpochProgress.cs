using MlNetCnn.Training;

namespace MlNetCnn.Experiments;

/// <summary>
/// Turns <see cref="TrainingLoop"/>'s reports into the fraction of epochs done, on the training thread (an
/// experiment's stage progress must not be posted to the thread pool and arrive after the stage ended).
/// </summary>
internal sealed class EpochProgress(Action<double> report) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value)
    {
        if (value.CompletedEpoch is { } epoch) report((double)epoch.Epoch / value.Epochs);
    }
}
