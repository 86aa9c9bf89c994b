using static TorchSharp.torch;

namespace MlNetCnn.Training;

/// <summary>Where <see cref="TrainingLoop"/> gets each epoch's shuffled mini-batches: tensors in memory, or a cursor.</summary>
internal interface ITrainingSource
{
    /// <summary>Rows per epoch when known before the epoch (for progress), else null.</summary>
    long? RowCount { get; }

    /// <summary>A training run's epochs: each call starts the next epoch, its order drawn from the given generator.</summary>
    Func<Random, IEpochBatches> OpenEpochs(int batchSize);
}

/// <summary>One epoch's mini-batches, in order.</summary>
internal interface IEpochBatches : IDisposable
{
    /// <summary>The next batch as [n, C, H, W] floats and [n] int64 labels, created in the caller's dispose scope; false after the last.</summary>
    bool TryNext(out Tensor images, out Tensor labels);
}
