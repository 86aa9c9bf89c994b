using System.IO.Compression;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Persistence;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Transforms;
using Xunit.Abstractions;

namespace MlNetCnn.Tests.Persistence;

public class SimpleCnnModelFileTests : IClassFixture<PersistenceTestModel>
{
    private readonly PersistenceTestModel fixture;
    private readonly ITestOutputHelper log;

    public SimpleCnnModelFileTests(PersistenceTestModel fixture, ITestOutputHelper log)
    {
        this.fixture = fixture;
        this.log = log;
    }

    private MLContext Ml => fixture.Ml;

    [Fact]
    public void RoundTripGivesIdenticalScoresFeatureMapsAndMetadata()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("model.zip");
        Ml.Model.SaveSimpleCnn(fixture.Classifier, path);
        using var loaded = Ml.Model.LoadSimpleCnn(path);

        Assert.Equal(PersistenceTestModel.Predictions(Ml, fixture.Classifier, 40), PersistenceTestModel.Predictions(Ml, loaded, 40));
        var original = fixture.Classifier.Model;
        Assert.Equal(original.Architecture.ConvChannels, loaded.Model.Architecture.ConvChannels);
        Assert.Equal(original.Architecture with { ConvChannels = loaded.Model.Architecture.ConvChannels }, loaded.Model.Architecture);
        Assert.Equal(original.ClassNames, loaded.Model.ClassNames);
        Assert.Equal(original.History, loaded.Model.History);
        Assert.Equal(original.Settings, loaded.Model.Settings);
        Assert.Equal(original.GetKernels("conv2").Weights, loaded.Model.GetKernels("conv2").Weights);
        Assert.Equal(fixture.Classifier.FeatureColumnName, loaded.FeatureColumnName);
        Assert.Equal(fixture.Classifier.ScoreColumnName, loaded.ScoreColumnName);
        Assert.Equal(fixture.Classifier.InferenceBatchSize, loaded.InferenceBatchSize);

        // PredictedLabel keeps the key values (class names) of the training label.
        var scored = loaded.Transform(PersistenceTestModel.TestImages(2));
        VBuffer<ReadOnlyMemory<char>> keyValues = default;
        scored.Schema["PredictedLabel"].GetKeyValues(ref keyValues);
        Assert.Equal(original.ClassNames, keyValues.DenseValues().Select(v => v.ToString()));

        using (var zip = ZipFile.OpenRead(path))
        {
            var names = zip.Entries.Select(e => e.FullName).ToHashSet();
            Assert.Superset(new HashSet<string> { "manifest.json", "architecture.json", "classes.json", "history.json", "settings.json", "weights.bin" }, names);
        }
        Assert.Equal(new[] { "model.zip" }, Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void BareNetworkRoundTripsAndLoadsAsAClassifierWithDefaultColumns()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("network.cnn");
        SimpleCnnModelFile.Save(fixture.Classifier.Model, path);

        using var network = SimpleCnnModelFile.LoadNetwork(path);
        var images = PersistenceTestModel.ReadFloats(PersistenceTestModel.TestImages(8), Cifar10DataView.FeaturesColumnName);
        Assert.Equal(fixture.Classifier.Model.PredictProbabilities(images, 8), network.PredictProbabilities(images, 8));

        using var classifier = Ml.Model.LoadSimpleCnn(path);
        Assert.Equal("Features", classifier.FeatureColumnName);
        Assert.Equal("Score", classifier.ScoreColumnName);
        Assert.Equal("PredictedLabel", classifier.PredictedLabelColumnName);
    }

    [Fact]
    public void ImagePipelineWithClassifierFeatureMapsAndKeyMappingRoundTrips()
    {
        using var temp = new TempDirectory();
        var exported = Cifar10ImageExporter.Export(PersistenceTestModel.TestImages(12), temp.Combine("images"));
        var index = Ml.Data.LoadFromTextFile(exported.IndexPath,
            [new TextLoader.Column("ImagePath", DataKind.String, 0), new TextLoader.Column("Label", DataKind.String, 1)],
            separatorChar: '\t', hasHeader: true);
        var imageFolder = Path.GetDirectoryName(exported.IndexPath)!;
        var pixels = Ml.Transforms.LoadImages("Image", imageFolder, "ImagePath")
            .Append(Ml.Transforms.ResizeImages("Image", 32, 32, inputColumnName: "Image"))
            .Append(Ml.Transforms.ExtractPixels("Features", "Image", interleavePixelColors: false, scaleImage: 1f / 255))
            .Fit(index);
        var classifier = fixture.Classifier;
        var maps = Ml.Transforms.ExtractFeatureMaps(classifier, layers: new[] { "conv2" }).Fit(classifier.Transform(pixels.Transform(index)));
        var toText = Ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel").Fit(maps.Transform(classifier.Transform(pixels.Transform(index))));
        var pipeline = pixels.Append(classifier).Append(maps).Append(toText);

        var path = temp.Combine("pipeline.zip");
        Ml.Model.SaveSimpleCnn(pipeline, index.Schema, path);
        var fresh = new MLContext(seed: 2);
        var loaded = fresh.Model.LoadSimpleCnn(path, out var inputSchema);
        try
        {
            Assert.NotNull(inputSchema);
            Assert.Equal(index.Schema.Select(c => (c.Name, c.Type)), inputSchema!.Select(c => (c.Name, c.Type)));
            var stages = loaded.ToArray();
            Assert.Equal(6, stages.Length); // load, resize, pixels, classifier, maps, key-to-value
            Assert.IsType<SimpleCnnTransformer>(stages[3]);
            var loadedMaps = Assert.IsType<FeatureMapExtractingTransformer>(stages[4]);
            Assert.Same(((SimpleCnnTransformer)stages[3]).Model, loadedMaps.Model);
            Assert.Equal(new[] { "conv2" }, loadedMaps.Layers);

            var expected = pipeline.Transform(index);
            var actual = loaded.Transform(index);
            Assert.Equal(PersistenceTestModel.ReadFloats(expected, "Score"), PersistenceTestModel.ReadFloats(actual, "Score"));
            Assert.Equal(PersistenceTestModel.ReadFloats(expected, "conv2"), PersistenceTestModel.ReadFloats(actual, "conv2"));
            Assert.Equal(ReadText(expected, "PredictedClass"), ReadText(actual, "PredictedClass"));
            Assert.All(ReadText(actual, "PredictedClass"), name => Assert.Contains(name, fixture.Classifier.Model.ClassNames));
        }
        finally
        {
            loaded.Dispose(); // disposes its stages, and with the classifier the network
        }

        // A file holding a whole pipeline is not silently cut down to its classifier.
        var e = Assert.Throws<InvalidOperationException>(() => Ml.Model.LoadSimpleCnn(path));
        Assert.Contains("LoadSimpleCnn(filePath, out inputSchema)", e.Message);
    }

    private static string[] ReadText(IDataView view, string column)
    {
        var values = new List<string>();
        using var cursor = view.GetRowCursor(new[] { view.Schema[column] });
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(view.Schema[column]);
        ReadOnlyMemory<char> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            values.Add(value.ToString());
        }
        return values.ToArray();
    }

    private string SaveGood(TempDirectory temp, string name = "model.zip") => fixture.SaveGood(temp, name);

    private ModelFileException AssertLoadFails(string path)
    {
        var e = Assert.Throws<ModelFileException>(() => Ml.Model.LoadSimpleCnn(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains(path, e.Message);
        Assert.Throws<ModelFileException>(() => SimpleCnnModelFile.LoadNetwork(path));
        log.WriteLine(e.Message);
        return e;
    }

    [Fact]
    public void FeatureMapOnlyPipelineOwnsItsNetworkWhenLoaded()
    {
        // No classifier stage to own the network: the loaded feature-map stage must dispose it with the chain.
        using var temp = new TempDirectory();
        var path = temp.Combine("maps.zip");
        var images = PersistenceTestModel.TestImages(2);
        var maps = Ml.Transforms.ExtractFeatureMaps(fixture.Classifier.Model, layers: new[] { "conv1" }).Fit(images);
        Ml.Model.SaveSimpleCnn(maps, images.Schema, path);

        var loaded = Ml.Model.LoadSimpleCnn(path, out _);
        var network = Assert.IsType<FeatureMapExtractingTransformer>(Assert.Single(loaded)).Model;
        var pixels = PersistenceTestModel.ReadFloats(images, Cifar10DataView.FeaturesColumnName);
        Assert.Equal(fixture.Classifier.Model.PredictProbabilities(pixels, 2), network.PredictProbabilities(pixels, 2));

        loaded.Dispose();
        Assert.Throws<ObjectDisposedException>(() => network.PredictProbabilities(pixels, 2));
    }

    [Fact]
    public void TruncatedFileIsAModelFileError()
    {
        using var temp = new TempDirectory();
        var path = SaveGood(temp);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var e = AssertLoadFails(path);
        Assert.Contains("zip", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void GarbageFileIsAModelFileError()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("garbage.zip");
        var random = new Random(3);
        var bytes = new byte[5000];
        random.NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        AssertLoadFails(path);

        File.WriteAllText(temp.Combine("empty.zip"), "");
        AssertLoadFails(temp.Combine("empty.zip"));
    }

    private static void Rewrite(string path, Func<string, byte[], byte[]?> edit, bool fixChecksums = false) =>
        ModelFileEditing.Rewrite(path, edit, fixChecksums);

    [Theory]
    [InlineData("weights.bin")]
    [InlineData("manifest.json")]
    [InlineData("architecture.json")]
    [InlineData("classes.json")]
    public void MissingEntryIsNamed(string entry)
    {
        using var temp = new TempDirectory();
        var path = SaveGood(temp);
        Rewrite(path, (name, content) => name == entry ? null : content);

        var e = AssertLoadFails(path);
        Assert.Equal(entry, e.EntryName);
        Assert.Contains($"'{entry}' is missing", e.Message);
    }

    [Fact]
    public void NewerFormatVersionIsRefused()
    {
        using var temp = new TempDirectory();
        var path = SaveGood(temp);
        Rewrite(path, (name, content) => name == "manifest.json"
            ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(content).Replace("\"formatVersion\": 1", "\"formatVersion\": 99"))
            : content);

        var e = AssertLoadFails(path);
        Assert.Contains("format version 99", e.Message);
        Assert.Contains("newer", e.Message);
    }

    [Fact]
    public void WrongFormatNameIsRefused()
    {
        using var temp = new TempDirectory();
        var path = SaveGood(temp);
        Rewrite(path, (name, content) => name == "manifest.json"
            ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(content).Replace(SimpleCnnModelFile.FormatName, "SomethingElse"))
            : content);
        Assert.Contains("SomethingElse", AssertLoadFails(path).Message);
    }

    [Fact]
    public void TruncatedOrMismatchedWeightsAreNamed()
    {
        using var temp = new TempDirectory();
        var path = SaveGood(temp);
        Rewrite(path, (name, content) => name == "weights.bin" ? content[..(content.Length / 2)] : content, fixChecksums: true);
        var e = AssertLoadFails(path);
        Assert.Equal("weights.bin", e.EntryName);

        // Weights of a different architecture.
        var other = SaveGood(temp, "other.zip");
        Rewrite(other, (name, content) => name == "architecture.json"
            ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(content).Replace("\"hiddenUnits\": 120", "\"hiddenUnits\": 64"))
            : content, fixChecksums: true);
        var mismatch = AssertLoadFails(other);
        Assert.Equal("weights.bin", mismatch.EntryName);
    }

    [Fact]
    public void CorruptedEntryBytesFailTheChecksum()
    {
        using var temp = new TempDirectory();
        var path = SaveGood(temp);
        var bytes = File.ReadAllBytes(path);
        // Flip bytes in the middle of the file (inside weights.bin's compressed data, the largest entry).
        for (var i = bytes.Length / 2; i < bytes.Length / 2 + 16; i++) bytes[i] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
        var e = AssertLoadFails(path);
        Assert.Equal("weights.bin", e.EntryName);
        Assert.Contains("corrupted", e.Message);
    }

    [Fact]
    public void EditedEntryFailsItsSha256()
    {
        using var temp = new TempDirectory();
        var path = SaveGood(temp);
        Rewrite(path, (name, content) => name == "classes.json" ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(content).Replace("cat", "dog")) : content);
        var e = AssertLoadFails(path);
        Assert.Equal("classes.json", e.EntryName);
        Assert.Contains("SHA-256", e.Message);
    }

    [Fact]
    public void ClassNamesThatDoNotFitTheArchitectureAreNamed()
    {
        using var temp = new TempDirectory();
        var path = SaveGood(temp);
        Rewrite(path, (name, content) => name == "classes.json" ? Encoding.UTF8.GetBytes("[\"a\", \"b\"]") : content, fixChecksums: true);
        var e = AssertLoadFails(path);
        Assert.Equal("classes.json", e.EntryName);
    }

    [Fact]
    public void InvalidJsonIsNamed()
    {
        using var temp = new TempDirectory();
        var path = SaveGood(temp);
        Rewrite(path, (name, content) => name == "history.json" ? Encoding.UTF8.GetBytes("[{ not json") : content, fixChecksums: true);
        var e = AssertLoadFails(path);
        Assert.Equal("history.json", e.EntryName);
    }

    private sealed class Row
    {
        public float Value { get; set; }
    }

    [Fact]
    public void FailedSaveLeavesTheExistingFileWholeAndNoTemporaryFile()
    {
        using var temp = new TempDirectory();
        var path = SaveGood(temp);
        var before = File.ReadAllBytes(path);

        // A CustomMapping without a registered contract cannot be saved by ML.NET: the save fails after the network
        // has been serialised, half-way through building the file.
        var data = PersistenceTestModel.TestImages(2);
        var custom = Ml.Transforms.CustomMapping((Row input, Row output) => output.Value = input.Value * 2, contractName: null)
            .Fit(Ml.Data.LoadFromEnumerable(new[] { new Row() }));
        var pipeline = fixture.Classifier.Append(custom);
        var schema = data.Schema;
        Assert.ThrowsAny<Exception>(() => Ml.Model.SaveSimpleCnn(pipeline, schema, path, overwrite: true));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { "model.zip" }, Directory.GetFiles(temp.Path).Select(Path.GetFileName));
        using var loaded = Ml.Model.LoadSimpleCnn(path);
    }

    [Fact]
    public void SavingWithOverwriteReplacesAnExistingFile()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("model.zip");
        File.WriteAllText(path, "old content");
        Ml.Model.SaveSimpleCnn(fixture.Classifier, path, overwrite: true);
        using var loaded = Ml.Model.LoadSimpleCnn(path);
        Assert.Equal(new[] { "model.zip" }, Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void SavingOverAnExistingFileWithoutOverwriteIsRefusedNamingItAndLeavesItAlone()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("model.zip");
        File.WriteAllText(path, "old content");
        foreach (var save in new Action[]
                 {
                     () => Ml.Model.SaveSimpleCnn(fixture.Classifier, path),
                     () => Ml.Model.SaveSimpleCnn((ITransformer)fixture.Classifier, null, path),
                 })
        {
            var error = Assert.Throws<MlNetCnn.IO.OutputFileExistsException>(save);
            Assert.Contains(Path.GetFullPath(path), error.Message);
            Assert.Contains("overwrite: true", error.Message);
            Assert.Equal("old content", File.ReadAllText(path));
            Assert.Equal(new[] { "model.zip" }, Directory.GetFiles(temp.Path).Select(Path.GetFileName));
        }
    }

    [Fact]
    public void PipelineWithoutCnnOrWithTwoNetworksIsRejected()
    {
        using var temp = new TempDirectory();
        var copy = Ml.Transforms.CopyColumns("Pixels", "Features").Fit(PersistenceTestModel.TestImages(1));
        Assert.Throws<ArgumentException>(() => Ml.Model.SaveSimpleCnn(copy, PersistenceTestModel.TestImages(1).Schema, temp.Combine("a.zip")));

        using var other = SimpleCnnModelFile.LoadNetwork(SaveGood(temp));
        var twoNetworks = fixture.Classifier.Append(Ml.Transforms.ExtractFeatureMaps(other).Fit(PersistenceTestModel.TestImages(1)));
        Assert.Throws<NotSupportedException>(() => Ml.Model.SaveSimpleCnn(twoNetworks, null, temp.Combine("b.zip")));
        Assert.False(File.Exists(temp.Combine("b.zip")));
    }
}
