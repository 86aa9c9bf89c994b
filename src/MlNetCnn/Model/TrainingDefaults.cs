namespace MlNetCnn.Model;

/// <summary>
/// The seed experiment's training procedure, written once in the lowest layer: the library reads these; users and
/// the CLI read them through <c>SimpleCnnTrainer.Defaults</c>, the one public face.
/// </summary>
internal static class TrainingDefaults
{
    /// <summary>Training epochs.</summary>
    public const int Epochs = 1;
    /// <summary>Training mini-batch size.</summary>
    public const int BatchSize = 4;
    /// <summary>Adam learning rate.</summary>
    public const double LearningRate = 0.001;
    /// <summary>Seed of weight initialisation and shuffling.</summary>
    public const int Seed = 1;
    /// <summary>
    /// libtorch threads while training. At batch 4 a step is per-call overhead, not arithmetic, so a second thread
    /// buys little, and on a busy machine its spin-waits cost far more (one epoch measured 25× slower with 2 threads
    /// while other work ran). Pass more explicitly for large batches.
    /// </summary>
    public const int Threads = 1;

    /// <summary>Batch size used for inference; larger batches amortise per-call overhead.</summary>
    public const int InferenceBatchSize = 64;

    // The additions to the seed's procedure, all off: with these the seed's weights come out unchanged.
    /// <summary>Share of training rows held out as the validation split.</summary>
    public const double ValidationFraction = 0;
    /// <summary>Whether training ends with the best validation epoch's weights.</summary>
    public const bool KeepBest = false;
    /// <summary>Zero padding of the random-crop augmentation (0: no crops).</summary>
    public const int RandomCropPadding = 0;
    /// <summary>Whether training images are flipped left–right at random.</summary>
    public const bool RandomHorizontalFlip = false;
}
