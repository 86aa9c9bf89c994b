using MlNetCnn.Model;

namespace MlNetCnn.Training;

/// <summary>Reported every few batches and at each epoch's end, for progress bars and logs.</summary>
public sealed class TrainingProgress
{
    internal TrainingProgress(int epoch, int epochs, int batch, int batchesPerEpoch, double runningLoss, EpochMetrics? completedEpoch)
    {
        Epoch = epoch;
        Epochs = epochs;
        Batch = batch;
        BatchesPerEpoch = batchesPerEpoch;
        RunningLoss = runningLoss;
        CompletedEpoch = completedEpoch;
    }

    /// <summary>1-based epoch being trained.</summary>
    public int Epoch { get; }

    /// <summary>Epochs planned.</summary>
    public int Epochs { get; }

    /// <summary>Batches done in this epoch.</summary>
    public int Batch { get; }

    /// <summary>Batches in an epoch (at least <see cref="Batch"/>).</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>Mean training loss so far in this epoch.</summary>
    public double RunningLoss { get; }

    /// <summary>The epoch's metrics when it has just ended; otherwise null.</summary>
    public EpochMetrics? CompletedEpoch { get; }
}
