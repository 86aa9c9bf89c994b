using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Persistence;
using MlNetCnn.Tests.TestSupport;
using Xunit.Abstractions;
using MlNetCnn.Data.Cifar10;

namespace MlNetCnn.Tests.Persistence;

/// <summary>
/// Saves models here, loads them in a separate process and compares the bytes of what both processes compute.
/// The child is this test assembly run again by <c>dotnet test &lt;assembly&gt; --filter</c> on
/// <see cref="FreshProcessChild"/>, which does its work only when the environment variables below are set.
/// </summary>
public class FreshProcessTests : IClassFixture<PersistenceTestModel>
{
    private readonly PersistenceTestModel fixture;
    private readonly ITestOutputHelper log;

    public FreshProcessTests(PersistenceTestModel fixture, ITestOutputHelper log)
    {
        this.fixture = fixture;
        this.log = log;
    }

    [Fact]
    public void ModelsLoadedInAFreshProcessPredictBitForBit()
    {
        var ml = fixture.Ml;
        using var temp = new TempDirectory();
        var paths = FreshProcessChild.Paths.In(temp.Path);

        // The classifier alone: Score, conv1, conv2 for the first rows of the test split.
        ml.Model.SaveSimpleCnn(fixture.Classifier, paths.Classifier);
        var expectedClassifier = PersistenceTestModel.Predictions(ml, fixture.Classifier, FreshProcessChild.Rows);

        // An image pipeline (PNG files → pixels → classifier): the child has to find ML.NET's image loaders.
        var exported = Cifar10ImageExporter.Export(PersistenceTestModel.TestImages(FreshProcessChild.Rows), paths.Images);
        var index = FreshProcessChild.LoadIndex(ml, exported.IndexPath);
        var pixels = FreshProcessChild.PixelPipeline(ml, Path.GetDirectoryName(exported.IndexPath)!).Fit(index);
        var pipeline = pixels.Append(fixture.Classifier);
        ml.Model.SaveSimpleCnn(pipeline, index.Schema, paths.Pipeline);
        var expectedPipeline = FreshProcessChild.ScoreBytes(pipeline.Transform(index));

        var clock = Stopwatch.StartNew();
        var (exitCode, output) = RunChild(paths, exported.IndexPath);
        log.WriteLine($"child process: exit {exitCode} after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(exitCode == 0, $"The child process failed (exit {exitCode}):\n{output}");
        Assert.True(File.Exists(paths.ClassifierOutput), $"The child wrote no predictions; did its test run?\n{output}");

        Assert.Equal(expectedClassifier, File.ReadAllBytes(paths.ClassifierOutput));
        Assert.Equal(expectedPipeline, File.ReadAllBytes(paths.PipelineOutput));
    }

    private static (int ExitCode, string Output) RunChild(FreshProcessChild.Paths paths, string indexPath) =>
        ChildProcess.RunDotnet(
            ["test", typeof(FreshProcessChild).Assembly.Location, "--filter", $"FullyQualifiedName={typeof(FreshProcessChild).FullName}.{nameof(FreshProcessChild.WritePredictionsOfSavedModels)}"],
            new Dictionary<string, string?>
            {
                [FreshProcessChild.DirectoryVariable] = paths.Directory,
                [FreshProcessChild.IndexVariable] = indexPath,
                // Same libtorch thread count as here, so the kernels split the work the same way.
                [FreshProcessChild.ThreadsVariable] = TorchSharp.torch.get_num_threads().ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
}

/// <summary>
/// The child side of <see cref="FreshProcessTests"/>. In a normal test run the variables are unset and it returns at
/// once; when the parent launches it, it loads the saved files and writes what they compute.
/// </summary>
public class FreshProcessChild
{
    public const string DirectoryVariable = "MLNETCNN_FRESH_PROCESS_DIR";
    public const string IndexVariable = "MLNETCNN_FRESH_PROCESS_INDEX";
    public const string ThreadsVariable = "MLNETCNN_FRESH_PROCESS_THREADS";
    public const int Rows = 24;

    public sealed record Paths(string Directory)
    {
        public static Paths In(string directory) => new(directory);

        public string Classifier => Path.Combine(Directory, "classifier.zip");
        public string Pipeline => Path.Combine(Directory, "pipeline.zip");
        public string Images => Path.Combine(Directory, "images");
        public string ClassifierOutput => Path.Combine(Directory, "classifier.out");
        public string PipelineOutput => Path.Combine(Directory, "pipeline.out");
    }

    [Fact]
    public void WritePredictionsOfSavedModels()
    {
        var directory = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (string.IsNullOrEmpty(directory)) return; // Not launched by FreshProcessTests.
        var paths = Paths.In(directory);
        TorchSharp.torch.set_num_threads(int.Parse(Environment.GetEnvironmentVariable(ThreadsVariable)!, System.Globalization.CultureInfo.InvariantCulture));

        var ml = new MLContext(seed: 5);
        using (var classifier = ml.Model.LoadSimpleCnn(paths.Classifier))
            File.WriteAllBytes(paths.ClassifierOutput, PersistenceTestModel.Predictions(ml, classifier, Rows));

        var pipeline = ml.Model.LoadSimpleCnn(paths.Pipeline, out _);
        var index = LoadIndex(ml, Environment.GetEnvironmentVariable(IndexVariable)!);
        File.WriteAllBytes(paths.PipelineOutput, ScoreBytes(pipeline.Transform(index)));
        pipeline.Dispose();
    }

    public static IDataView LoadIndex(MLContext ml, string indexPath) => ml.Data.LoadFromTextFile(indexPath,
        [new TextLoader.Column("ImagePath", DataKind.String, 0), new TextLoader.Column("Label", DataKind.String, 1)],
        separatorChar: '\t', hasHeader: true);

    public static IEstimator<ITransformer> PixelPipeline(MLContext ml, string imageFolder) =>
        ml.Transforms.LoadImages("Image", imageFolder, "ImagePath")
            .Append(ml.Transforms.ResizeImages("Image", 32, 32, inputColumnName: "Image"))
            .Append(ml.Transforms.ExtractPixels("Features", "Image", interleavePixelColors: false, scaleImage: 1f / 255));

    public static byte[] ScoreBytes(IDataView scored)
    {
        var floats = PersistenceTestModel.ReadFloats(scored, "Score");
        var bytes = new byte[floats.Length * sizeof(float)];
        Buffer.BlockCopy(floats, 0, bytes, 0, bytes.Length);
        return bytes;
    }
}
