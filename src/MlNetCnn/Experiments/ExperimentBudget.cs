using MlNetCnn.Model;

namespace MlNetCnn.Experiments;

/// <summary>
/// How much work the experiments may do. <see cref="Default"/> runs every registered experiment on the CIFAR-10 subset (5,085 training,
/// 1,017 test images) for five seeds on two cores with two epochs per training (three before five seeds were the
/// default: at three epochs five seeds used ~320 s of CPU, over the 2.5-minute target on two cores);
/// <see cref="Quick"/> is for smoke runs.
/// </summary>
public sealed record ExperimentBudget
{
    /// <summary>At most this many training images are loaded by <see cref="ExperimentContext"/> factories (null: all).</summary>
    public int? TrainImages { get; init; }

    /// <summary>At most this many test images are loaded by <see cref="ExperimentContext"/> factories (null: all).</summary>
    public int? TestImages { get; init; }

    /// <summary>
    /// How every network an experiment trains is trained (and the context's model when it trains one): the library's one
    /// training shape, with two epochs instead of the seed's one. The seed and thread count are not read from here: they
    /// are <see cref="ExperimentContext.Seed"/> (each seed of a series trains its own) and <see cref="ExperimentContext.Threads"/>,
    /// so a value set here other than the default is refused rather than silently replaced. Experiments train on every
    /// training image, so the validation-split settings are refused too.
    /// </summary>
    public TrainingSettings Training { get; init; } = DefaultTraining;

    // Two epochs: one left too many verdicts inconclusive, three cost ~320 CPU s for five seeds (over the target).
    private static readonly TrainingSettings DefaultTraining = new() { Epochs = 2 };

    /// <summary>
    /// Test images averaged over by equivariance, receptive-field and explanation (attribution) measurements, and the
    /// most the occlusion experiment maps. Sizes only one experiment uses are that experiment's own settings, capped by
    /// this budget's image counts (so <see cref="Quick"/> shrinks them too).
    /// </summary>
    public int AnalysisImages { get; init; } = 128;

    /// <summary>Images shown as figures (heatmaps over pictures) where an experiment shows examples.</summary>
    public int FigureImages { get; init; } = 6;

    /// <summary>The default budget (two epochs, batch 4, learning rate 0.001).</summary>
    public static ExperimentBudget Default { get; } = new();

    /// <summary>A smoke run: one epoch on at most 1,000 training and 300 test images.</summary>
    public static ExperimentBudget Quick { get; } = new()
    {
        TrainImages = 1000,
        TestImages = 300,
        Training = DefaultTraining with { Epochs = 1 },
        AnalysisImages = 32,
        FigureImages = 3,
    };

    internal void Validate()
    {
        if (TrainImages is < 1) throw new ArgumentOutOfRangeException(nameof(TrainImages), TrainImages, "Must be at least 1.");
        if (TestImages is < 1) throw new ArgumentOutOfRangeException(nameof(TestImages), TestImages, "Must be at least 1.");
        ArgumentNullException.ThrowIfNull(Training, nameof(Training));
        Training.Validate();
        if (Training.Seed != TrainingDefaults.Seed)
            throw new ArgumentException($"Training.Seed is {Training.Seed}; experiments take their seed from ExperimentContext.Seed (and the seeds of a series), so leave it at {TrainingDefaults.Seed}.", nameof(Training));
        if (Training.NumberOfThreads != TrainingDefaults.Threads)
            throw new ArgumentException($"Training.NumberOfThreads is {Training.NumberOfThreads?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}; experiments take their thread count from ExperimentContext.Threads, so leave it at {TrainingDefaults.Threads}.", nameof(Training));
        if (Training.ValidationFraction != 0 || Training.SelectsOnValidation)
            throw new ArgumentException("Training holds out a validation split (ValidationFraction, EarlyStoppingPatience or KeepBest); experiments train on every training image and measure on the test set, so leave them off.", nameof(Training));
        if (AnalysisImages < 1) throw new ArgumentOutOfRangeException(nameof(AnalysisImages), AnalysisImages, "Must be at least 1.");
        if (FigureImages < 0) throw new ArgumentOutOfRangeException(nameof(FigureImages), FigureImages, "Must be at least 0.");
    }
}
