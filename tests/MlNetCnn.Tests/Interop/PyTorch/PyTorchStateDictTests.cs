using Microsoft.ML;
using MlNetCnn.Interop.PyTorch;
using MlNetCnn.Model;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Tests.Persistence;
using MlNetCnn.Tests.TestSupport;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MlNetCnn.Tests.Interop.PyTorch;

/// <summary>state_dict files written and read here (the PyTorch side is checked in <see cref="PyTorchAgreementTests"/>).</summary>
public sealed class PyTorchStateDictTests : IClassFixture<PersistenceTestModel>
{
    private readonly PersistenceTestModel fixture;

    public PyTorchStateDictTests(PersistenceTestModel fixture) => this.fixture = fixture;

    [Fact]
    public void ExportedKeysAndShapesAreTheSeedClasses()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("simplecnn.pth");
        fixture.Ml.Model.SavePyTorchStateDict(fixture.Classifier, path);
        using var scope = NewDisposeScope();
        var table = PyTorchUnpickler.UnpickleStateDict(File.OpenRead(path));
        var shapes = table.Keys.Cast<string>().ToDictionary(k => k, k => ((Tensor)table[k]!).shape);
        Assert.Equal(new[] { "conv1.bias", "conv1.weight", "conv2.bias", "conv2.weight", "fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight" },
            shapes.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(new long[] { 6, 3, 3, 3 }, shapes["conv1.weight"]);
        Assert.Equal(new long[] { 12, 6, 3, 3 }, shapes["conv2.weight"]);
        Assert.Equal(new long[] { 120, 768 }, shapes["fc1.weight"]);
        Assert.Equal(new long[] { 10, 120 }, shapes["fc2.weight"]);
        Assert.Equal(fixture.Classifier.Model.GetKernels("conv1").Weights, TensorData.ToArray((Tensor)table["conv1.weight"]!));
    }

    [Fact]
    public void RoundTripGivesTheSameScoresMapsAndAPipelineStage()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("simplecnn.pth");
        fixture.Ml.Model.SavePyTorchStateDict(fixture.Classifier, path);
        var names = fixture.Classifier.Model.ClassNames;
        using var loaded = fixture.Ml.Model.LoadPyTorchSimpleCnn(path, names);
        AssertSame(fixture.Classifier.Model.Architecture, loaded.Model.Architecture);

        var test = PersistenceTestModel.TestImages(20);
        Assert.Equal(PersistenceTestModel.ReadFloats(fixture.Classifier.Transform(test), "Score"), PersistenceTestModel.ReadFloats(loaded.Transform(test), "Score"));
        var maps = fixture.Ml.Transforms.ExtractFeatureMaps(loaded).Fit(test).Transform(test);
        var expected = fixture.Ml.Transforms.ExtractFeatureMaps(fixture.Classifier).Fit(test).Transform(test);
        Assert.Equal(PersistenceTestModel.ReadFloats(expected, "conv2"), PersistenceTestModel.ReadFloats(maps, "conv2"));

        // A model with no training history still gets a full report.
        var report = CnnReportGenerator.Create(fixture.Ml, loaded, test);
        Assert.Equal(CnnReportGenerator.DefaultSections().Count, report.Parts.Count);
        Assert.Throws<MlNetCnn.IO.OutputFileExistsException>(() => fixture.Ml.Model.SavePyTorchStateDict(fixture.Classifier, path));
    }

    [Fact]
    public void LoadAsksForClassNamesAfterOneRead()
    {
        // The callback deletes the file: the load still succeeds only if the tensors were read once, before asking.
        using var temp = new TempDirectory();
        var path = temp.Combine("simplecnn.pth");
        fixture.Ml.Model.SavePyTorchStateDict(fixture.Classifier, path);
        ConvNetArchitecture? seen = null;
        using var loaded = fixture.Ml.Model.LoadPyTorchSimpleCnn(path, architecture =>
        {
            seen = architecture;
            File.Delete(path);
            return fixture.Classifier.Model.ClassNames;
        });
        AssertSame(fixture.Classifier.Model.Architecture, seen!);
        Assert.Equal(fixture.Classifier.Model.ClassNames, loaded.Model.ClassNames);
        var test = PersistenceTestModel.TestImages(4);
        Assert.Equal(PersistenceTestModel.ReadFloats(fixture.Classifier.Transform(test), "Score"), PersistenceTestModel.ReadFloats(loaded.Transform(test), "Score"));

        // Names that do not fit the outputs are refused as by the other overload.
        fixture.Ml.Model.SavePyTorchStateDict(fixture.Classifier, path);
        Assert.Throws<PyTorchModelException>(() => PyTorchStateDict.Load(path, _ => ["a", "b"]));
    }

    [Fact]
    public void DeeperAndGreyNetworksRoundTripWithConv3Keys()
    {
        var architecture = new ConvNetArchitecture { InputChannels = 1, InputHeight = 28, InputWidth = 28, ConvChannels = [4, 8, 16], ClassCount = 3, HiddenUnits = 20 };
        using var network = new SimpleCnn(architecture);
        using var model = new TrainedCnn(network, ["a", "b", "c"], [], new TrainingSettings());
        using var temp = new TempDirectory();
        var path = temp.Combine("deep.pth");
        PyTorchStateDict.Save(model, path);
        Assert.Contains(("conv3.weight", new long[] { 16, 8, 3, 3 }), PyTorchStateDict.ExpectedKeys(architecture).Select(k => (k.Key, k.Shape)), new KeyShapeComparer());
        // 28 → 14 → 7 → 3 after three pools: a state_dict cannot tell 28 from 24, so the size is given (without it, the smallest square that fits).
        Assert.Equal(24, PyTorchStateDict.ReadArchitecture(path).InputHeight);
        using var loaded = PyTorchStateDict.Load(path, ["a", "b", "c"], 28, 28);
        AssertSame(architecture, loaded.Architecture);
        var image = Enumerable.Range(0, 28 * 28).Select(i => i % 7 / 7f).ToArray();
        Assert.Equal(model.PredictProbabilities(image, 1), loaded.PredictProbabilities(image, 1));
    }

    [Fact]
    public void NonSquareInputNeedsTheSizeGiven()
    {
        var architecture = new ConvNetArchitecture { InputHeight = 16, InputWidth = 32 };
        using var network = new SimpleCnn(architecture);
        using var model = new TrainedCnn(network, [.. Enumerable.Range(0, 10).Select(i => $"c{i}")], [], new TrainingSettings());
        using var temp = new TempDirectory();
        var path = temp.Combine("wide.pth");
        PyTorchStateDict.Save(model, path);
        var error = Assert.Throws<PyTorchModelException>(() => PyTorchStateDict.ReadArchitecture(path));
        Assert.Equal("fc1.weight", error.Key);
        Assert.Contains("give the image height and width", error.Message);
        AssertSame(architecture, PyTorchStateDict.ReadArchitecture(path, 16, 32));
        var wrong = Assert.Throws<PyTorchModelException>(() => PyTorchStateDict.ReadArchitecture(path, 32, 32));
        Assert.Equal("fc1.weight", wrong.Key);
        Assert.Equal("[120, 768]", wrong.ExpectedShape);
        Assert.Equal("[120, 384]", wrong.ActualShape);
    }

    [Fact]
    public void RepeatedClassNamesAreRefusedNamingTheClassAndBothPositions()
    {
        // Issue 30 item 6: the CLI refused repeated names, the library's .pth loader only warned.
        using var temp = new TempDirectory();
        var path = temp.Combine("model.pth");
        fixture.Ml.Model.SavePyTorchStateDict(fixture.Classifier, path);
        var names = fixture.Classifier.Model.ClassNames.ToArray();
        names[7] = names[2];

        var given = Assert.Throws<RepeatedClassNameException>(() => fixture.Ml.Model.LoadPyTorchSimpleCnn(path, names));
        Assert.Equal((names[2], 2, 7, "classNames"), (given.ClassName, given.FirstIndex, given.SecondIndex, given.ParamName));
        Assert.Contains($"class '{names[2]}' twice, at positions 2 and 7", given.Message);
        Assert.Contains(path, given.Message);
        // Checked before the file is read: a path to nothing still answers with the names' problem.
        Assert.Throws<RepeatedClassNameException>(() => fixture.Ml.Model.LoadPyTorchSimpleCnn(temp.Combine("missing.pth"), names));

        var asked = Assert.Throws<RepeatedClassNameException>(() => fixture.Ml.Model.LoadPyTorchSimpleCnn(path, _ => names));
        Assert.Equal((2, 7, "classNamesFor"), (asked.FirstIndex, asked.SecondIndex, asked.ParamName));
        // Distinct names load (and the refusal is about the names, not the file).
        using var loaded = fixture.Ml.Model.LoadPyTorchSimpleCnn(path, fixture.Classifier.Model.ClassNames);
        Assert.Equal(fixture.Classifier.Model.ClassNames, loaded.Model.ClassNames);
    }

    [Fact]
    public void MissingUnexpectedAndMisshapenKeysAreNamedWithBothShapes()
    {
        using var temp = new TempDirectory();
        var good = SeedStateDict();

        var missing = Write(temp, "missing.pth", good.Where(p => p.Key != "conv2.bias"));
        var e = Assert.Throws<PyTorchModelException>(() => PyTorchStateDict.Load(missing));
        Assert.Equal("conv2.bias", e.Key);
        Assert.Equal("[12]", e.ExpectedShape);
        Assert.Null(e.ActualShape);
        Assert.Contains("key 'conv2.bias' is missing (expected shape [12])", e.Message);
        Assert.Contains(missing, e.Message);

        var misshapen = Write(temp, "bias.pth", good.Select(p => p.Key == "fc1.bias" ? new KeyValuePair<string, Tensor>(p.Key, zeros(119)) : p));
        e = Assert.Throws<PyTorchModelException>(() => PyTorchStateDict.Load(misshapen));
        Assert.Equal(("fc1.bias", "[120]", "[119]"), (e.Key, e.ExpectedShape, e.ActualShape));
        Assert.Contains("key 'fc1.bias' has shape [119], expected [120]", e.Message);

        var extra = Write(temp, "extra.pth", good.Append(new("bn1.weight", ones(6))));
        e = Assert.Throws<PyTorchModelException>(() => PyTorchStateDict.Load(extra));
        Assert.Equal("bn1.weight", e.Key);
        Assert.Contains("not part of the seed's SimpleCNN", e.Message);

        var chain = Write(temp, "chain.pth", good.Select(p => p.Key == "conv2.weight" ? new KeyValuePair<string, Tensor>(p.Key, zeros(12, 5, 3, 3)) : p));
        e = Assert.Throws<PyTorchModelException>(() => PyTorchStateDict.Load(chain));
        Assert.Equal(("conv2.weight", "[12, 6, 3, 3]", "[12, 5, 3, 3]"), (e.Key, e.ExpectedShape, e.ActualShape));

        var names = Assert.Throws<PyTorchModelException>(() => PyTorchStateDict.Load(Write(temp, "ok.pth", good), ["a", "b"]));
        Assert.Contains("fc2 has 10 outputs but 2 class names were given", names.Message);
    }

    [Fact]
    public void FilesThatAreNoStateDictAreTypedErrorsNamingTheFile()
    {
        using var temp = new TempDirectory();
        var text = temp.Combine("notes.pth");
        File.WriteAllText(text, "this is not a torch.save file");
        var e = Assert.Throws<PyTorchModelException>(() => PyTorchStateDict.Load(text));
        Assert.Contains(text, e.Message);
        var empty = temp.Combine("empty.pth");
        File.WriteAllBytes(empty, []);
        Assert.Throws<PyTorchModelException>(() => PyTorchStateDict.Load(empty));
        var zip = temp.Combine("other.zip");
        fixture.Ml.Model.Save(fixture.Ml.Transforms.CopyColumns("a", "b").Fit(fixture.Ml.Data.LoadFromEnumerable(new[] { new Row() })), null, zip);
        Assert.Throws<PyTorchModelException>(() => PyTorchStateDict.Load(zip));
        Assert.Throws<FileNotFoundException>(() => PyTorchStateDict.Load(temp.Combine("absent.pth")));
    }

    private static List<KeyValuePair<string, Tensor>> SeedStateDict()
    {
        using var network = new SimpleCnn(ConvNetArchitecture.Default);
        return [.. network.named_parameters().Select(p => new KeyValuePair<string, Tensor>(PyTorchStateDict.PyTorchName(p.name), p.parameter.detach().clone()))];
    }

    private static string Write(TempDirectory temp, string name, IEnumerable<KeyValuePair<string, Tensor>> entries)
    {
        var path = temp.Combine(name);
        using var stream = File.Create(path);
        PyTorchPickler.PickleStateDict(stream, entries.ToDictionary(p => p.Key, p => p.Value));
        return path;
    }

    private sealed class Row
    {
        [Microsoft.ML.Data.ColumnName("b")]
        public float B { get; set; }
    }

    private sealed class KeyShapeComparer : IEqualityComparer<(string, long[])>
    {
        public bool Equals((string, long[]) x, (string, long[]) y) => x.Item1 == y.Item1 && x.Item2.SequenceEqual(y.Item2);

        public int GetHashCode((string, long[]) obj) => obj.Item1.GetHashCode();
    }

    /// <summary>Architectures are records with a list member; compare what they say, not the list instance.</summary>
    internal static void AssertSame(ConvNetArchitecture expected, ConvNetArchitecture actual) =>
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(expected), System.Text.Json.JsonSerializer.Serialize(actual));
}
