using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Model;
using MlNetCnn.Training;
using MlNetCnn.Transforms;
using MlNetCnn.Transforms.TrainingData;

namespace MlNetCnn.Benchmarks;

/// <summary>The benchmark's inputs, loaded once: the CIFAR-10 views and their in-memory tensors.</summary>
internal sealed class BenchmarkData : IDisposable
{
    public BenchmarkData(string directory)
    {
        Directory = directory;
        Train = new Cifar10DataView(directory, Cifar10Split.Train);
        Test = new Cifar10DataView(directory, Cifar10Split.Test);
        TrainSet = Load(Train);
        TestSet = Load(Test);
        TestImages = TensorData.ToArray(TestSet.Features);
        Console.WriteLine($"{TrainSet.Count} training images, {TestSet.Count} test images");
    }

    public string Directory { get; }
    public MLContext MlContext { get; } = new(seed: 1);
    public Cifar10DataView Train { get; }
    public Cifar10DataView Test { get; }
    public InMemoryImageSet TrainSet { get; }
    public InMemoryImageSet TestSet { get; }
    public float[] TestImages { get; }

    public static string FindCifarDirectory() =>
        Cifar10Locator.Find()?.Directory
        ?? throw new DirectoryNotFoundException("No CIFAR-10 data: pass a directory holding data_batch_*.bin and test_batch.bin.");

    /// <summary>A model trained for one epoch with the seed procedure (weights barely matter for speed).</summary>
    public SimpleCnnTransformer TrainModel(int threads)
    {
        var options = new SimpleCnnTrainer.Options { NumberOfEpochs = 1, NumberOfThreads = threads, Seed = 1 };
        return MlContext.MulticlassClassification.Trainers.SimpleCnn(options).Fit(Train);
    }

    public static InMemoryImageSet Load(IDataView view) =>
        ImageSetReader.Read(view, Cifar10DataView.FeaturesColumnName, Cifar10DataView.LabelColumnName, ConvNetArchitecture.Default, out _);

    public static InMemoryImageSet Slice(InMemoryImageSet set, int count) =>
        new(TensorData.ToArray(set.Features.narrow(0, 0, count)), set.Labels.Take(count).ToArray(), 3, 32, 32);

    /// <summary>Reads every value of the named columns through a cursor, as a consumer of the view would.</summary>
    public static int Drain(IDataView view, params string[] columns)
    {
        var selected = columns.Select(c => view.Schema[c]).ToArray();
        using var cursor = view.GetRowCursor(selected);
        var getters = selected.Select(c => cursor.GetGetter<VBuffer<float>>(c)).ToArray();
        VBuffer<float> value = default;
        var rows = 0;
        while (cursor.MoveNext())
        {
            foreach (var getter in getters) getter(ref value);
            rows++;
        }
        return rows;
    }

    public void Dispose()
    {
        TrainSet.Dispose();
        TestSet.Dispose();
    }
}
