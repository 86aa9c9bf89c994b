using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Model;
using MlNetCnn.Persistence;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Training;
using Xunit.Abstractions;

namespace MlNetCnn.Tests.Fuzzing;

/// <summary>
/// Thousands of damaged inputs per run, a few seconds per reader: the only exceptions that escape the readers are the
/// documented typed ones (<see cref="InvalidDataException"/> for CIFAR-10 files, <see cref="ModelFileException"/> for
/// model files).
/// </summary>
public class ReaderFuzzTests
{
    private readonly ITestOutputHelper log;

    public ReaderFuzzTests(ITestOutputHelper log) => this.log = log;

    [Fact]
    public void Cifar10BinaryReaderThrowsOnlyInvalidDataException()
    {
        var sample = SyntheticCifar10.Record(3).Concat(SyntheticCifar10.Record(9)).Concat(SyntheticCifar10.Record(0)).ToArray();
        ReaderFuzzer.Run(sample,
            write: (folder, bytes) =>
            {
                SyntheticCifar10.WriteMeta(folder);
                File.WriteAllBytes(Path.Combine(folder, Cifar10Format.TestFileName), bytes);
            },
            read: folder => ReadAll(new Cifar10DataView(folder, Cifar10Split.Test)),
            allowed: [typeof(InvalidDataException)],
            iterations: 2000,
            log: log.WriteLine);
    }

    [Fact]
    public void ModelFileReaderThrowsOnlyModelFileExceptionForDamagedBytes() => FuzzModelFile(1500);

    [Fact]
    public void ModelFileReaderThrowsOnlyModelFileExceptionForDamagedEntriesWithValidChecksums()
    {
        // Checksums stop byte damage early; recomputing them lets the damage reach the JSON, shape and weight readers.
        string[] entries = ["manifest.json", "architecture.json", "classes.json", "history.json", "settings.json", "weights.bin"];
        FuzzModelFile(1500, (bytes, mutations) =>
        {
            var target = entries[mutations[0].Value % entries.Length];
            return ModelFileEditing.Rewrite(bytes, (name, content) => name == target ? ReaderFuzzer.Apply(content, mutations) : content,
                fixChecksums: target != "manifest.json");
        });
    }

    private void FuzzModelFile(long iterations, Func<byte[], ReaderFuzzer.Mutation[], byte[]>? mutate = null)
    {
        var ml = new MLContext(seed: 1);
        ReaderFuzzer.Run(SmallModelFile(),
            write: (folder, bytes) => File.WriteAllBytes(ModelPath(folder), bytes),
            read: folder => ml.Model.LoadSimpleCnn(ModelPath(folder)).Dispose(),
            allowed: [typeof(ModelFileException)],
            iterations,
            mutate,
            log.WriteLine);
    }

    private static string ModelPath(string folder) => Path.Combine(folder, "model.zip");

    /// <summary>A tiny but complete model file (8×8 input, one conv layer of 2 channels), so each load takes well under a millisecond of torch time.</summary>
    private static byte[] SmallModelFile()
    {
        using var temp = new TempDirectory();
        var architecture = new ConvNetArchitecture { InputHeight = 8, InputWidth = 8, ConvChannels = [2], HiddenUnits = 4 };
        var settings = new TrainingSettings { NumberOfThreads = 1 };
        using var model = new TrainedCnn(TrainingLoop.CreateModel(architecture, settings), SyntheticCifar10.ClassNames,
            [new EpochMetrics(1, 2.3, 0.1, 2.3, 0.1, 0.5)], settings);
        var path = temp.Combine("model.zip");
        SimpleCnnModelFile.Save(model, path);
        return File.ReadAllBytes(path);
    }

    private static void ReadAll(IDataView view)
    {
        using var cursor = view.GetRowCursor(view.Schema);
        var label = cursor.GetGetter<uint>(view.Schema[Cifar10DataView.LabelColumnName]);
        var features = cursor.GetGetter<VBuffer<float>>(view.Schema[Cifar10DataView.FeaturesColumnName]);
        uint key = 0;
        VBuffer<float> pixels = default;
        while (cursor.MoveNext())
        {
            label(ref key);
            features(ref pixels);
        }
    }
}
