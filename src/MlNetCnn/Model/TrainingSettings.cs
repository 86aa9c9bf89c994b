namespace MlNetCnn.Model;

/// <summary>The knobs of training (the seed's procedure: Adam, cross-entropy, reshuffled mini-batches), kept with the model it made.</summary>
public sealed record TrainingSettings
{
    /// <summary>Passes over the training data.</summary>
    public int Epochs { get; init; } = TrainingDefaults.Epochs;
    /// <summary>Training mini-batch size.</summary>
    public int BatchSize { get; init; } = TrainingDefaults.BatchSize;
    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = TrainingDefaults.LearningRate;

    /// <summary>Seeds weight initialisation and the per-epoch shuffle; same seed + same threads ⇒ same weights.</summary>
    public int Seed { get; init; } = TrainingDefaults.Seed;

    /// <summary>libtorch intra-op threads; null keeps libtorch's current setting (one per core).</summary>
    public int? NumberOfThreads { get; init; } = TrainingDefaults.Threads;

    /// <summary>Images per batch when evaluating or predicting.</summary>
    public int InferenceBatchSize { get; init; } = TrainingDefaults.InferenceBatchSize;

    /// <summary>Share of the training rows held out (drawn with the seed) as the validation split; 0 (default) holds none out.</summary>
    public double ValidationFraction { get; init; } = TrainingDefaults.ValidationFraction;

    /// <summary>Stop after this many epochs without a lower validation loss; null (default) trains every epoch.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>End with the weights of the epoch with the lowest validation loss instead of the last epoch's (default false).</summary>
    public bool KeepBest { get; init; } = TrainingDefaults.KeepBest;

    /// <summary>Random-crop augmentation: pad each training image by this many zero pixels per side and crop it back at a random offset; 0 (default) is off.</summary>
    public int RandomCropPadding { get; init; } = TrainingDefaults.RandomCropPadding;

    /// <summary>Flip each training image left–right with probability ½ (default false).</summary>
    public bool RandomHorizontalFlip { get; init; } = TrainingDefaults.RandomHorizontalFlip;

    /// <summary>Whether training chooses its weights on the validation split (early stopping or keep-best).</summary>
    internal bool SelectsOnValidation => EarlyStoppingPatience != null || KeepBest;

    /// <summary>Whether training images are augmented.</summary>
    internal bool Augments => RandomCropPadding > 0 || RandomHorizontalFlip;

    internal void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be at least 1.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Batch size must be at least 1.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "Learning rate must be a positive finite number.");
        if (NumberOfThreads is < 1) throw new ArgumentOutOfRangeException(nameof(NumberOfThreads), NumberOfThreads, "Threads must be at least 1.");
        if (InferenceBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(InferenceBatchSize), InferenceBatchSize, "Inference batch size must be at least 1.");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "The validation fraction must be at least 0 and below 1 (e.g. 0.1 holds out a tenth of the training rows).");
        if (EarlyStoppingPatience is < 1) throw new ArgumentOutOfRangeException(nameof(EarlyStoppingPatience), EarlyStoppingPatience, "Early-stopping patience must be at least 1 epoch.");
        if (RandomCropPadding < 0) throw new ArgumentOutOfRangeException(nameof(RandomCropPadding), RandomCropPadding, "Random-crop padding must be 0 (off) or more pixels.");
    }
}
