using System.Diagnostics;
using Microsoft.ML;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Tests.TestSupport;
using Xunit.Abstractions;

namespace MlNetCnn.Tests.Persistence;

/// <summary>
/// Saves models here, loads them in a separate process and compares the bytes of what both processes compute.
/// The child is this test assembly run as a program (<c>dotnet &lt;assembly&gt; fresh-process-child …</c>, see
/// <see cref="ChildEntryPoint"/>), which runs <see cref="FreshProcessChild"/>: no test host, no test of its own.
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
        Assert.True(File.Exists(paths.ClassifierOutput), $"The child wrote no predictions.\n{output}");

        Assert.Equal(expectedClassifier, File.ReadAllBytes(paths.ClassifierOutput));
        Assert.Equal(expectedPipeline, File.ReadAllBytes(paths.PipelineOutput));
    }

    private static (int ExitCode, string Output) RunChild(FreshProcessChild.Paths paths, string indexPath) =>
        ChildProcess.RunDotnet(
        [
            typeof(ChildEntryPoint).Assembly.Location, ChildEntryPoint.FreshProcessChildCommand, paths.Directory, indexPath,
            // Same libtorch thread count as here, so the kernels split the work the same way.
            TorchSharp.torch.get_num_threads().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ]);
}
