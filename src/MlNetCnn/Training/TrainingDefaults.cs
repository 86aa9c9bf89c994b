namespace MlNetCnn.Training;

/// <summary>
/// The seed experiment's training procedure, written once: the catalog verbs, the trainer Options and the CLI
/// all read these.
/// </summary>
public static class TrainingDefaults
{
    public const int Epochs = 1;
    public const int BatchSize = 4;
    public const double LearningRate = 0.001;
    public const int Seed = 1;
    /// <summary>Batch size used for inference; larger batches amortise per-call overhead.</summary>
    public const int InferenceBatchSize = 64;
}
