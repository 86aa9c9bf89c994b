using Microsoft.ML;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Training;
using MlNetCnn.Transforms;

namespace MlNetCnn.Tests.Transforms;

/// <summary>A long Fit stops through ML.NET's own path (MLContext.CancelExecution) and through a CancellationToken.</summary>
public class SimpleCnnTrainerCancellationTests
{
    // Far more epochs than the test waits for: only cancellation ends Fit in time.
    private const int Epochs = 10_000;

    [Fact]
    public void CancelExecutionOnTheMlContextStopsFit()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticImages.CreateKeyed(ml, 400, 2, height: 8, width: 8);
        var reports = 0;
        var options = Options(new SynchronousProgress<TrainingProgress>(_ =>
        {
            // ML.NET's trainers stop when the context is cancelled from another thread; so must ours.
            if (Interlocked.Increment(ref reports) == 1) ThreadPool.QueueUserWorkItem(_ => CancelExecution(ml));
        }));

        Assert.ThrowsAny<OperationCanceledException>(() => ml.MulticlassClassification.Trainers.SimpleCnn(options).Fit(data));
        Assert.InRange(reports, 1, Epochs / 10);
    }

    [Fact]
    public void CancellationTokenStopsFitWithinABatch()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticImages.CreateKeyed(ml, 400, 2, height: 8, width: 8);
        using var cancel = new CancellationTokenSource();
        var reports = 0;
        var options = Options(new SynchronousProgress<TrainingProgress>(_ =>
        {
            // The first report comes after batch 50 of epoch 1, mid-epoch.
            if (Interlocked.Increment(ref reports) == 1) cancel.Cancel();
        }));

        Assert.ThrowsAny<OperationCanceledException>(() => ml.MulticlassClassification.Trainers.SimpleCnn(options).Fit(data, cancel.Token));
        // Checked every batch: the report after the one that cancelled never comes.
        Assert.Equal(1, reports);
    }

    [Fact]
    public void AlreadyCancelledContextDoesNotStartTraining()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticImages.CreateKeyed(ml, 8, 2, height: 8, width: 8);
        CancelExecution(ml);
        var reports = 0;
        var trainer = ml.MulticlassClassification.Trainers.SimpleCnn(Options(new SynchronousProgress<TrainingProgress>(_ => reports++)));
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(data));
        Assert.Equal(0, reports);
    }

    private static SimpleCnnTrainer.Options Options(IProgress<TrainingProgress> progress) => new()
    {
        NumberOfEpochs = Epochs,
        NumberOfThreads = 1,
        ConvChannels = [2],
        HiddenUnits = 4,
        Progress = progress,
    };

    /// <summary>
    /// MLContext.CancelExecution() is internal in Microsoft.ML 5 (public through Microsoft.ML.Experimental's
    /// MLContextExtensions.CancelExecution, which calls it); tests call it by reflection.
    /// </summary>
    internal static void CancelExecution(MLContext ml) =>
        typeof(MLContext).GetMethod("CancelExecution", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.Invoke(ml, null);
}
