namespace MlNetCnn.Training;

/// <summary>One epoch's measured loss and accuracy (training, and validation when a validation set was given).</summary>
public sealed record EpochMetrics(
    int Epoch,
    double TrainingLoss,
    double TrainingAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double Seconds)
{
    /// <summary>One line for logs and consoles: loss and accuracy, validation when measured, and the time.</summary>
    public string Describe()
    {
        var validation = ValidationAccuracy is { } va ? $", validation loss {ValidationLoss:F4}, validation accuracy {va:P2}" : "";
        return $"training loss {TrainingLoss:F4}, training accuracy {TrainingAccuracy:P2}{validation} ({Seconds:F1} s)";
    }
}
