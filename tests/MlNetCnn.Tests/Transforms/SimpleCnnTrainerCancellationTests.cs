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

    [Fact]
    public void CancellationStopsReadingTheTrainingDataNotOnlyTraining()
    {
        var ml = new MLContext(seed: 1);
        const int rows = 20_000;
        using var cancel = new CancellationTokenSource();
        var read = 0;
        var armed = false;
        IEnumerable<SyntheticImages.Row> Lazy()
        {
            for (var r = 0; r < rows; r++)
            {
                if (armed && Interlocked.Increment(ref read) == 20) cancel.Cancel();
                yield return new SyntheticImages.Row { Label = $"class{r % 2}", Features = new float[3 * 8 * 8] };
            }
        }
        var schema = Microsoft.ML.Data.SchemaDefinition.Create(typeof(SyntheticImages.Row));
        schema[nameof(SyntheticImages.Row.Features)].ColumnType = new Microsoft.ML.Data.VectorDataViewType(Microsoft.ML.Data.NumberDataViewType.Single, 3, 8, 8);
        var raw = ml.Data.LoadFromEnumerable(Lazy(), schema);
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(raw).Transform(raw);
        armed = true;

        var trainer = ml.MulticlassClassification.Trainers.SimpleCnn(Options(new SynchronousProgress<TrainingProgress>(_ => { })));
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(keyed, cancel.Token));
        // Checked every row while the data is read into memory (a folder of image files can take minutes): the read stops
        // soon after the row that cancelled (ML.NET's cursors read a few batches ahead), not after all 20,000 rows as when only
        // the training loop looked at the token.
        Assert.InRange(read, 20, 5_000);
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
