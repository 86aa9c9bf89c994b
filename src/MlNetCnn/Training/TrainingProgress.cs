using MlNetCnn.Model;

namespace MlNetCnn.Training;

/// <summary>Reported every few batches and at each epoch's end, for progress bars and logs.</summary>
public sealed record TrainingProgress(
    int Epoch,
    int Epochs,
    int Batch,
    int BatchesPerEpoch,
    double RunningLoss,
    EpochMetrics? CompletedEpoch);
