using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using MlNetCnn.Model;

namespace MlNetCnn.Experiments.LinearProbe;

/// <summary>
/// Linear probes through ML.NET, shared by the linear-probe and depth-features experiments: the images become an
/// IDataView ([C,H,W] <c>Features</c>, 0-based <c>Label</c>), <c>mlContext.Transforms.ExtractFeatureMaps</c> adds each
/// conv layer's post-ReLU maps (before pooling, flattened), and an L-BFGS maximum-entropy classifier is fitted on each
/// min-max normalised column and scored on the test images.
/// </summary>
internal sealed class LayerProbes(int maximumIterations, float l2Regularization)
{
    /// <summary>
    /// How many training images an experiment's probes fit on: its own <paramref name="probeTrainImages"/> (at least 2),
    /// capped by the training images the context holds (so the budget's caps shrink it too).
    /// </summary>
    public static int TrainCount(int probeTrainImages, ExperimentContext context)
    {
        if (probeTrainImages < 2) throw new InvalidOperationException($"ProbeTrainImages must be at least 2; it is {probeTrainImages}.");
        return Math.Min(probeTrainImages, context.Train.Count);
    }

    /// <summary>The column that holds the raw pixels.</summary>
    public const string PixelsColumn = nameof(ProbeRow.Features);

    /// <summary>Iteration limit of each probe's training.</summary>
    public int MaximumIterations { get; } = maximumIterations;

    /// <summary>L2 regularisation weight of each probe.</summary>
    public float L2Regularization { get; } = l2Regularization;

    /// <summary>
    /// Test accuracy and input size of a probe on each of <paramref name="columns"/>: <see cref="PixelsColumn"/> or a
    /// conv layer's name. Probes train on the first <paramref name="trainCount"/> training images of the context and
    /// test on all its test images; <paramref name="report"/> hears each column before its probe trains.
    /// </summary>
    public (double[] Accuracy, int[] Dimensions) Measure(TrainedCnn model, ExperimentContext context, int trainCount, IReadOnlyList<string> columns, Action<string, double> report)
    {
        // The training view is cached so each layer's maps are computed once, not once per pass of the normaliser and
        // the trainer.
        var ml = new MLContext(context.Seed);
        var trainImages = ImageView(ml, ImageTensors.Pixels(context.Train, trainCount), context.Train.Labels, trainCount, context);
        var testImages = ImageView(ml, context.TestPixels, context.Test.Labels, context.Test.Count, context);
        var layers = columns.Where(c => c != PixelsColumn).ToArray();
        IDataView trainView = trainImages, testView = testImages;
        if (layers.Length > 0)
        {
            var extractor = ml.Transforms.ExtractFeatureMaps(model, PixelsColumn, layers).Fit(trainImages);
            trainView = extractor.Transform(trainImages);
            testView = extractor.Transform(testImages);
        }
        trainView = ml.Data.Cache(trainView);

        var accuracy = new double[columns.Count];
        var dimensions = new int[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            report(columns[i], (double)i / columns.Count);
            dimensions[i] = ((VectorDataViewType)trainView.Schema[columns[i]].Type).Size;
            // The pixel probe reads no model and draws nothing at random (L-BFGS starts from zero weights): every seed
            // gets the same number, so it is fitted once per data set, in an MLContext of a fixed seed to keep it so.
            accuracy[i] = columns[i] == PixelsColumn
                ? context.DataOnly(FormattableString.Invariant($"pixel probe: {trainCount} images, {MaximumIterations} iterations, L2 {L2Regularization}, {context.Threads} thread(s)"),
                    () => Accuracy(new MLContext(0), trainView, testView, PixelsColumn, context.Threads))
                : Accuracy(ml, trainView, testView, columns[i], context.Threads);
        }
        return (accuracy, dimensions);
    }

    /// <summary>The first <paramref name="count"/> images as rows of a [C,H,W] vector column and a 0-based label.</summary>
    private static IDataView ImageView(MLContext ml, float[] pixels, IReadOnlyList<long> labels, int count, ExperimentContext context) =>
        View(ml, pixels, labels, count, context.Channels, context.Height, context.Width);

    /// <summary>
    /// The first <paramref name="count"/> rows of planar <paramref name="values"/> (images or maps,
    /// <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/> each) as a [C,H,W] vector column
    /// <see cref="PixelsColumn"/> and a 0-based label.
    /// </summary>
    public static IDataView View(MLContext ml, float[] values, IReadOnlyList<long> labels, int count, int channels, int height, int width)
    {
        var length = channels * height * width;
        var schema = SchemaDefinition.Create(typeof(ProbeRow));
        schema[nameof(ProbeRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, channels, height, width);
        var rows = new ProbeRow[count];
        for (var i = 0; i < count; i++)
            rows[i] = new ProbeRow { Features = values.AsSpan(i * length, length).ToArray(), Label = (uint)labels[i] };
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>Test accuracy of an ML.NET linear classifier trained on one (min-max normalised) vector column.</summary>
    public double Accuracy(MLContext ml, IDataView train, IDataView test, string column, int threads)
    {
        var pipeline = ml.Transforms.Conversion.MapValueToKey("LabelKey", nameof(ProbeRow.Label))
            .Append(ml.Transforms.NormalizeMinMax(column))
            .AppendCacheCheckpoint(ml)
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = "LabelKey",
                FeatureColumnName = column,
                MaximumNumberOfIterations = MaximumIterations,
                L2Regularization = L2Regularization,
                NumberOfThreads = threads,
            }));
        var fitted = pipeline.Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(fitted.Transform(test), labelColumnName: "LabelKey");
        return metrics.MicroAccuracy;
    }
}
