namespace MlNetCnn.Model;

/// <summary>
/// One epoch's measured loss and accuracy on each split: training; validation (held out from training, or the
/// trainer's ValidationSet), which early stopping and keep-best choose on; and test, measured for reporting only.
/// </summary>
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
    /// <param name="heldOutName">What the <see cref="ValidationLoss"/> figures are called: "validation", or "test" for a history
    /// whose held-out set was the test split.</param>
    public string Describe(string heldOutName = "validation")
    {
        // Three splits on one line abbreviate "accuracy" to stay near 100 columns; one or two keep the familiar words.
        // Invariant culture: logs, consoles and pages read the same in every locale.
        var accuracy = ValidationAccuracy != null && TestAccuracy != null ? "acc." : "accuracy";
        var heldOut = ValidationAccuracy is { } va ? FormattableString.Invariant($"; {heldOutName} loss {ValidationLoss:F4}, {accuracy} {va:P2}") : "";
        var test = TestAccuracy is { } ta ? FormattableString.Invariant($"; test loss {TestLoss:F4}, {accuracy} {ta:P2}") : "";
        return FormattableString.Invariant($"train loss {TrainingLoss:F4}, {accuracy} {TrainingAccuracy:P2}{heldOut}{test} ({Seconds:F1} s)");
    }

    /// <summary>Mean cross-entropy on the test set given to the trainer (<c>TestSet</c>), measured after the epoch for reporting only; null when none was given.</summary>
    public double? TestLoss { get; init; }

    /// <summary>Accuracy on the test set given to the trainer, for reporting only (never used to choose weights); null when none was given.</summary>
    public double? TestAccuracy { get; init; }
}
