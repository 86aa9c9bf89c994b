namespace MlNetCnn.Training;

/// <summary>One epoch's measured loss and accuracy (training, and validation when a validation set was given).</summary>
public sealed record EpochMetrics(
    int Epoch,
    double TrainingLoss,
    double TrainingAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double Seconds);
