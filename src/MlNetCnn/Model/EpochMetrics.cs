namespace MlNetCnn.Model;

/// <summary>One epoch's measured loss and accuracy (training, and validation when a validation set was given).</summary>
public sealed record EpochMetrics(
    int Epoch,
    double TrainingLoss,
    double TrainingAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double Seconds)
{
    /// <summary>
    /// One line for logs and consoles: loss and accuracy, the held-out figures when measured, and the time. Short
    /// enough that "epoch NN: " plus this stays under 100 columns.
    /// </summary>
    /// <param name="heldOutName">What the held-out figures are called: "validation", or "test" when the test split was used.</param>
    public string Describe(string heldOutName = "validation")
    {
        // Invariant culture: logs, consoles and pages read the same in every locale.
        var heldOut = ValidationAccuracy is { } va ? FormattableString.Invariant($"; {heldOutName} loss {ValidationLoss:F4}, accuracy {va:P2}") : "";
        return FormattableString.Invariant($"train loss {TrainingLoss:F4}, accuracy {TrainingAccuracy:P2}{heldOut} ({Seconds:F1} s)");
    }
}
