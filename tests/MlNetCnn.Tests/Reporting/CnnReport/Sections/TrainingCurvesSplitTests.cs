using MlNetCnn.Model;
using MlNetCnn.Reporting.CnnReport.Sections;

namespace MlNetCnn.Tests.Reporting.CnnReport.Sections;

/// <summary>The curves' words for each split: test figures are called test, validation ones validation, and keep-best and early stopping are said.</summary>
public sealed class TrainingCurvesSplitTests
{
    private static readonly EpochMetrics[] History =
    [
        new(1, 2.0, 0.30, 1.90, 0.32, 1) { TestLoss = 1.95, TestAccuracy = 0.31 },
        new(2, 1.6, 0.42, 1.70, 0.40, 1) { TestLoss = 1.72, TestAccuracy = 0.41 },
        new(3, 1.3, 0.55, 1.80, 0.39, 1) { TestLoss = 1.79, TestAccuracy = 0.43 },
    ];

    [Fact]
    public void EachSplitIsNamedAndTheChoiceIsExplainedOnTheValidationSplit()
    {
        var text = TrainingCurvesSection.Explain(History, new TrainingSettings { Epochs = 10, KeepBest = true, EarlyStoppingPatience = 1, ValidationFraction = 0.1 });
        Assert.Contains("Test accuracy (the test split, measured after each epoch, never used to choose the model) ended at 43.0% (highest 43.0% at epoch 3)", text);
        // Keep-best names epoch 2, the lowest validation loss, although the test split peaked at epoch 3.
        Assert.Contains("Keep-best: the model holds epoch 2's weights, the lowest validation loss.", text);
        Assert.Contains("Early stopping ended training after 3 epochs of 10", text);
        Assert.Contains("Validation accuracy ended at 39.0%", text);
    }

    [Fact]
    public void AHistoryWithOnlyTestFiguresSaysNoValidationSplitWasHeldOut()
    {
        var testOnly = History.Select(e => e with { ValidationLoss = null, ValidationAccuracy = null }).ToArray();
        var text = TrainingCurvesSection.Explain(testOnly, new TrainingSettings { Epochs = 3 });
        Assert.Contains("Test accuracy", text);
        Assert.Contains("No validation split was held out.", text);
        Assert.DoesNotContain("Validation accuracy", text);
    }
}
