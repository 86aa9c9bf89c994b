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

    /// <summary>Epochs for every network an experiment trains (and for the context's model when it trains one).</summary>
    public int Epochs { get; init; } = 2;

    /// <summary>Mini-batch size for those trainings (the seed uses 4).</summary>
    public int BatchSize { get; init; } = Model.TrainingDefaults.BatchSize;

    /// <summary>Adam learning rate for those trainings.</summary>
    public double LearningRate { get; init; } = Model.TrainingDefaults.LearningRate;

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
        Epochs = 1,
        AnalysisImages = 32,
        FigureImages = 3,
    };

    internal void Validate()
    {
        if (TrainImages is < 1) throw new ArgumentOutOfRangeException(nameof(TrainImages), TrainImages, "Must be at least 1.");
        if (TestImages is < 1) throw new ArgumentOutOfRangeException(nameof(TestImages), TestImages, "Must be at least 1.");
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Must be at least 1.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Must be at least 1.");
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "Must be positive.");
        if (AnalysisImages < 1) throw new ArgumentOutOfRangeException(nameof(AnalysisImages), AnalysisImages, "Must be at least 1.");
        if (FigureImages < 0) throw new ArgumentOutOfRangeException(nameof(FigureImages), FigureImages, "Must be at least 0.");
    }
}
