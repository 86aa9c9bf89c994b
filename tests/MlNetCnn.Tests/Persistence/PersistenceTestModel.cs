using Microsoft.ML;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Transforms;

namespace MlNetCnn.Tests.Persistence;

/// <summary>One small classifier (200 CIFAR rows, 1 epoch, 1 thread) shared by the persistence tests.</summary>
public sealed class PersistenceTestModel : IDisposable
{
    public PersistenceTestModel()
    {
        Ml = new MLContext(seed: 1);
        var train = new Cifar10DataView(SharedData.CifarDirectory, Cifar10Split.Train, maxRows: 200);
        Classifier = Ml.MulticlassClassification.Trainers.SimpleCnn(new SimpleCnnTrainer.Options { NumberOfEpochs = 1, NumberOfThreads = 1 }).Fit(train);
    }

    public MLContext Ml { get; }

    public SimpleCnnTransformer Classifier { get; }

    public void Dispose() => Classifier.Dispose();

    /// <summary>Saves the shared classifier into <paramref name="temp"/> and returns the file's path.</summary>
    public string SaveGood(TempDirectory temp, string name = "model.zip")
    {
        var path = temp.Combine(name);
        Ml.Model.SaveSimpleCnn(Classifier, path);
        return path;
    }

    /// <summary>The first rows of the test split.</summary>
    public static Cifar10DataView TestImages(int rows) => new(SharedData.CifarDirectory, Cifar10Split.Test, maxRows: rows);

    /// <summary>Every value of a float-vector column, row after row.</summary>
    public static float[] ReadFloats(IDataView view, string column) => DataViewColumns.ReadFloats(view, column).SelectMany(row => row).ToArray();

    /// <summary>Score, conv1 and conv2 of <paramref name="rows"/> test images through <paramref name="classifier"/>, as raw bytes.</summary>
    public static byte[] Predictions(MLContext ml, SimpleCnnTransformer classifier, int rows)
    {
        var data = TestImages(rows);
        var view = classifier.Append(ml.Transforms.ExtractFeatureMaps(classifier).Fit(data)).Transform(data);
        var floats = ReadFloats(view, "Score").Concat(ReadFloats(view, "conv1")).Concat(ReadFloats(view, "conv2")).ToArray();
        var bytes = new byte[floats.Length * sizeof(float)];
        Buffer.BlockCopy(floats, 0, bytes, 0, bytes.Length);
        return bytes;
    }
}
