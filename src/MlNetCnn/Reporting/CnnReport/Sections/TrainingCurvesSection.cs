using MlNetCnn.Model;
using MlNetCnn.Reporting.Blocks;
using static MlNetCnn.Reporting.CnnReport.ReportText;

namespace MlNetCnn.Reporting.CnnReport.Sections;

/// <summary>
/// Loss and accuracy per epoch from the model's history, each split under its own name: training, validation (held out
/// from the training data; what early stopping and keep-best choose on) and test (measured only), when measured.
/// </summary>
internal sealed class TrainingCurvesSection : ICnnReportSection
{
    /// <inheritdoc />
    public string Title => "Training curves";

    /// <inheritdoc />
    public void AddTo(ReportDocument report, CnnReportData data)
    {
        var history = data.Model.History;
        var section = report.AddPart(Title, Explain(data.Model.History, data.Model.Settings));
        if (history.Count == 0) return;
        var epochs = history.Select(e => (double)e.Epoch).ToArray();
        var chart = new LineChart("epoch") { Title = "Loss and accuracy per epoch" }
            .AddSeries("loss", "training", epochs, [.. history.Select(e => e.TrainingLoss)])
            .AddSeries("accuracy", "training", epochs, [.. history.Select(e => e.TrainingAccuracy)]);
        if (history.Any(e => e.ValidationLoss is not null))
        {
            chart.AddSeries("loss", "validation", epochs, [.. history.Select(e => e.ValidationLoss ?? double.NaN)])
                 .AddSeries("accuracy", "validation", epochs, [.. history.Select(e => e.ValidationAccuracy ?? double.NaN)]);
        }
        if (history.Any(e => e.TestLoss is not null))
        {
            chart.AddSeries("loss", "test", epochs, [.. history.Select(e => e.TestLoss ?? double.NaN)])
                 .AddSeries("accuracy", "test", epochs, [.. history.Select(e => e.TestAccuracy ?? double.NaN)]);
        }

        section.Add(chart);
    }

    internal static string Explain(IReadOnlyList<EpochMetrics> history, TrainingSettings settings)
    {
        if (history.Count == 0) return "The model carries no training history (it was not trained in this process, or the history was not saved).";
        var first = history[0];
        var last = history[^1];
        var text = $"{Plural(history.Count, "epoch")} with batch size {settings.BatchSize} and learning rate {settings.LearningRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}, " +
                   $"{Fixed(history.Sum(e => e.Seconds), 1)} s in total. " +
                   (history.Count == 1
                       ? $"Training loss {Fixed(first.TrainingLoss)}, training accuracy {Percent(first.TrainingAccuracy)} (one epoch: no curve yet, just a point)."
                       : $"Training loss went from {Fixed(first.TrainingLoss)} to {Fixed(last.TrainingLoss)} and training accuracy from {Percent(first.TrainingAccuracy)} to {Percent(last.TrainingAccuracy)}.");
        var tested = history.Where(e => e.TestAccuracy is not null).ToList();
        if (tested.Count > 0)
        {
            var bestTest = tested.MaxBy(e => e.TestAccuracy!.Value)!;
            text += $" Test accuracy (the test split, measured after each epoch, never used to choose the model) ended at {Percent(tested[^1].TestAccuracy!.Value)}" +
                    (tested.Count > 1 ? $" (highest {Percent(bestTest.TestAccuracy!.Value)} at epoch {bestTest.Epoch})." : ".");
        }
        if (settings.KeepBest && Transforms.SimpleCnnTrainer.BestValidationEpoch(history) is { } kept)
            text += $" Keep-best: the model holds epoch {kept.Epoch}'s weights, the lowest validation loss.";
        if (settings.EarlyStoppingPatience is { } patience && history.Count < settings.Epochs)
            text += $" Early stopping ended training after {Plural(history.Count, "epoch")} of {settings.Epochs}: {Plural(patience, "epoch")} without a lower validation loss.";
        var validated = history.Where(e => e.ValidationAccuracy is not null).ToList();
        if (validated.Count == 0)
            return text + (tested.Count > 0 ? " No validation split was held out." : " No validation set was given, so only training curves are shown.");
        var best = validated.MaxBy(e => e.ValidationAccuracy!.Value)!;
        var lastValidated = validated[^1];
        text += $" Validation accuracy ended at {Percent(lastValidated.ValidationAccuracy!.Value)} (best {Percent(best.ValidationAccuracy!.Value)} at epoch {best.Epoch}); " +
                $"validation loss {Fixed(lastValidated.ValidationLoss ?? double.NaN)}.";
        var gap = lastValidated.TrainingAccuracy - lastValidated.ValidationAccuracy.Value;
        text += gap > 0
            ? $" Training accuracy is {Fixed(gap * 100, 1)} points above validation accuracy in the last epoch" +
              (validated.Count > 1 && lastValidated.ValidationLoss > validated.Min(e => e.ValidationLoss) ? ", and validation loss is above its minimum: signs of overfitting." : ".")
            : $" Validation accuracy is not below training accuracy ({Fixed(-gap * 100, 1)} points above), so there is no sign of overfitting yet.";
        return text;
    }
}
