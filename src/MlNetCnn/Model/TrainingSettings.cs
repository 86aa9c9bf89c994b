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

    internal void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be at least 1.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Batch size must be at least 1.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "Learning rate must be a positive finite number.");
        if (NumberOfThreads is < 1) throw new ArgumentOutOfRangeException(nameof(NumberOfThreads), NumberOfThreads, "Threads must be at least 1.");
        if (InferenceBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(InferenceBatchSize), InferenceBatchSize, "Inference batch size must be at least 1.");
    }
}
