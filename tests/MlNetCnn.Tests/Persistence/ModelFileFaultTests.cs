using System.Text.Json.Nodes;
using Microsoft.ML;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Model;
using MlNetCnn.Persistence;
using MlNetCnn.Tests.TestSupport;
using static TorchSharp.torch;

namespace MlNetCnn.Tests.Persistence;

/// <summary>Model files that are damaged in ways the first round of tests missed, and models that load but should not be trusted.</summary>
public class ModelFileFaultTests : IClassFixture<PersistenceTestModel>
{
    private readonly PersistenceTestModel fixture;

    public ModelFileFaultTests(PersistenceTestModel fixture) => this.fixture = fixture;

    private string SaveGood(TempDirectory temp) => fixture.SaveGood(temp);

    [Fact]
    public void DamagedZipDirectoryIsAModelFileErrorNamingTheFile()
    {
        using var temp = new TempDirectory();
        var path = SaveGood(temp);
        var bytes = File.ReadAllBytes(path);
        // The end-of-central-directory record: signature PK\x05\x06, then at +10 the total number of entries.
        var eocd = LastIndexOf(bytes, [0x50, 0x4B, 0x05, 0x06]);
        bytes[eocd + 10] ^= 0x03;
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<ModelFileException>(() => fixture.Ml.Model.LoadSimpleCnn(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void AFolderAsTheModelIsAModelFileError()
    {
        using var temp = new TempDirectory();
        var e = Assert.Throws<ModelFileException>(() => fixture.Ml.Model.LoadSimpleCnn(temp.Path));
        Assert.Contains("is a folder", e.Message);
        Assert.DoesNotContain("denied", e.Message);
    }

    [Fact]
    public void ManifestClaimingAHugeInputIsRefusedWithoutOverflow()
    {
        using var temp = new TempDirectory();
        var path = SaveGood(temp);
        ModelFileEditing.EditJson(path, "architecture.json", a =>
        {
            a["inputHeight"] = 1_000_000;
            a["inputWidth"] = 1_000_000;
            return a;
        });

        var e = Assert.Throws<ModelFileException>(() => fixture.Ml.Model.LoadSimpleCnn(path));
        Assert.Equal("architecture.json", e.EntryName);
        Assert.IsType<InvalidArchitectureException>(e.InnerException);
        Assert.DoesNotContain("negative", e.Message);
    }

    [Fact]
    public void NonFiniteWeightsLoadWithAWarningInTheModelAndInMlNetsLog()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("nan.zip");
        using (var network = SimpleCnnModelFile.LoadNetwork(SaveGood(temp)))
        {
            using (no_grad()) network.Network.ConvLayers[0].weight!.fill_(float.NaN);
            SimpleCnnModelFile.Save(network, path);
        }

        var log = new List<string>();
        fixture.Ml.Log += (_, e) => { lock (log) log.Add(e.Message); };
        using var loaded = fixture.Ml.Model.LoadSimpleCnn(path);

        var warning = Assert.Single(loaded.Model.LoadWarnings);
        Assert.Contains("NaN", warning);
        Assert.Contains("weight", warning);
        lock (log) Assert.Contains(log, m => m.Contains("NaN") && m.Contains(path));
    }

    [Fact]
    public void RepeatedClassNamesAreRefusedNamingTheEntryTheClassAndBothPositions()
    {
        // Issue 30 item 6: they loaded with a warning; now every loader refuses them as the CLI and the data readers do.
        using var temp = new TempDirectory();
        var path = SaveGood(temp);
        ModelFileEditing.EditJson(path, "classes.json", _ => new JsonArray(Enumerable.Range(0, 10).Select(i => (JsonNode)(i is 3 or 8 ? "cat" : $"c{i}")!).ToArray()));

        var e = Assert.Throws<ModelFileException>(() => fixture.Ml.Model.LoadSimpleCnn(path));
        Assert.Equal("classes.json", e.EntryName);
        Assert.Contains("class 'cat' twice, at positions 3 and 8", e.Message);
        var repeated = Assert.IsType<RepeatedClassNameException>(e.InnerException);
        Assert.Equal(("cat", 3, 8), (repeated.ClassName, repeated.FirstIndex, repeated.SecondIndex));
        using var good = fixture.Ml.Model.LoadSimpleCnn(fixture.SaveGood(temp, "good.zip"));
        Assert.Empty(good.Model.LoadWarnings);
    }

    [Fact]
    public void UsingADisposedModelIsObjectDisposed()
    {
        using var temp = new TempDirectory();
        var loaded = fixture.Ml.Model.LoadSimpleCnn(SaveGood(temp));
        var data = PersistenceTestModel.TestImages(2);
        loaded.Dispose();
        loaded.Dispose();

        Assert.Throws<ObjectDisposedException>(() => loaded.Model.PredictProbabilities(new float[Cifar10Format.PixelBytes], 1));
        Assert.Throws<ObjectDisposedException>(() => loaded.Model.GetKernels("conv1"));
        Assert.Throws<ObjectDisposedException>(() => PersistenceTestModel.ReadFloats(loaded.Transform(data), "Score"));
        // What describes the model stays readable after its weights are freed.
        Assert.Equal(2, loaded.Model.ConvLayers.Count);
    }

    private static int LastIndexOf(byte[] bytes, byte[] pattern)
    {
        for (var i = bytes.Length - pattern.Length; i >= 0; i--)
            if (bytes.AsSpan(i, pattern.Length).SequenceEqual(pattern)) return i;
        throw new InvalidOperationException("pattern not found");
    }
}
