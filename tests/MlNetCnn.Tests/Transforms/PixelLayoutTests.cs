using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Interop.Onnx;
using MlNetCnn.Model;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Transforms;

namespace MlNetCnn.Tests.Transforms;

/// <summary>
/// ML.NET's two pixel orders (ExtractPixels with interleavePixelColors false or true): the same images give the same
/// model, predictions, feature maps, attributions, saved file and ONNX numbers, and a layout mix-up says so.
/// </summary>
public sealed class PixelLayoutTests : IDisposable
{
    private const string Column = "Pixels"; // not the default "Features": the verbs must follow the model's own column
    private readonly TempDirectory temp = new();
    private readonly MLContext ml = new(seed: 1);
    private readonly IDataView files;

    public PixelLayoutTests()
    {
        var binary = new Cifar10DataView(SharedData.CifarDirectory, Cifar10Split.Train, maxRows: 96);
        var export = Cifar10ImageExporter.Export(binary, temp.Path);
        var index = ml.Data.LoadFromTextFile(export.IndexPath,
            [new TextLoader.Column("ImagePath", DataKind.String, 0), new TextLoader.Column("Label", DataKind.String, 1)],
            separatorChar: '\t', hasHeader: true);
        files = ml.Transforms.Conversion.MapValueToKey("Label").Fit(index).Transform(index);
    }

    public void Dispose() => temp.Dispose();

    private IDataView Pixels(bool interleave, float scale = 1f / 255) =>
        ml.Transforms.LoadImages("Image", temp.Path, "ImagePath")
            .Append(ml.Transforms.ResizeImages("Image", 32, 32))
            .Append(ml.Transforms.ExtractPixels(Column, "Image", interleavePixelColors: interleave, scaleImage: scale))
            .Fit(files).Transform(files);

    private SimpleCnnTransformer Train(IDataView data, PixelLayout layout, IProgress<MlNetCnn.Training.TrainingProgress>? progress = null) =>
        ml.MulticlassClassification.Trainers.SimpleCnn(new SimpleCnnTrainer.Options
        {
            FeatureColumnName = Column,
            PixelLayout = layout,
            NumberOfEpochs = 1,
            Seed = 3,
            Progress = progress,
        }).Fit(data);

    private static string ManifestOf(string path)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(path);
        using var reader = new StreamReader(zip.GetEntry("manifest.json")!.Open());
        return reader.ReadToEnd();
    }

    private static float[][] Read(IDataView view, string column) =>
        view.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToArray();

    [Fact]
    public void InterleavedAndPlanarPipelinesGiveIdenticalWeightsPredictionsMapsAndAttributions()
    {
        var planarData = Pixels(interleave: false);
        var interleavedData = Pixels(interleave: true);
        // The two columns really differ: (3, 32, 32) against (32, 32, 3), values in another order.
        Assert.Equal([3, 32, 32], ((VectorDataViewType)planarData.Schema[Column].Type).Dimensions.ToArray());
        Assert.Equal([32, 32, 3], ((VectorDataViewType)interleavedData.Schema[Column].Type).Dimensions.ToArray());
        Assert.NotEqual(Read(planarData, Column)[0], Read(interleavedData, Column)[0]);

        using var planar = Train(planarData, PixelLayout.Planar);
        using var interleaved = Train(interleavedData, PixelLayout.Interleaved);
        Assert.Equal(PixelLayout.Interleaved, interleaved.Model.Architecture.PixelLayout);
        Assert.Equal((3, 32, 32), (interleaved.Model.Architecture.InputChannels, interleaved.Model.Architecture.InputHeight, interleaved.Model.Architecture.InputWidth));
        Assert.Equal(planar.Model.GetKernels("conv2").Weights, interleaved.Model.GetKernels("conv2").Weights);

        var planarScores = Read(planar.Transform(planarData), "Score");
        var interleavedScores = Read(interleaved.Transform(interleavedData), "Score");
        Assert.All(planarScores.SelectMany(s => s), v => Assert.True(float.IsFinite(v)));
        Assert.Equal(planarScores, interleavedScores);

        // No column named: both verbs read the model's own column ("Pixels", not "Features") in the model's order.
        var planarMaps = Read(ml.Transforms.ExtractFeatureMaps(planar).Fit(planarData).Transform(planarData), "conv1");
        var interleavedMaps = Read(ml.Transforms.ExtractFeatureMaps(interleaved).Fit(interleavedData).Transform(interleavedData), "conv1");
        Assert.Equal(planarMaps, interleavedMaps);
        Assert.Contains(planarMaps.SelectMany(m => m), v => v > 0);

        var planarAttribution = Read(ml.Transforms.Attribute(planar, method: "saliency").Fit(planarData).Transform(planarData), "Attribution");
        var interleavedAttribution = Read(ml.Transforms.Attribute(interleaved, method: "saliency").Fit(interleavedData).Transform(interleavedData), "Attribution");
        Assert.Equal(planarAttribution, interleavedAttribution);
    }

    [Fact]
    public void InterleavedPixelsReadAsPlanarNameTheLayoutAsTheLikelyCause()
    {
        var e = Assert.Throws<InvalidArchitectureException>(() => Train(Pixels(interleave: true), PixelLayout.Planar));
        Assert.Equal("conv2", e.LayerName);
        // The README quotes this message (for the column 'Features').
        Assert.StartsWith("Layer 'conv2' receives a 16×1 map, but its 2×2 max-pool needs at least 2×2: the 32×3 input allows at most 1 conv layers, got 2. " +
                          $"Column '{Column}' looks like interleaved pixels (height, width, channels), as ExtractPixels(interleavePixelColors: true) writes, " +
                          "but it is read as planar (channels, height, width): set PixelLayout = PixelLayout.Interleaved in the trainer options, " +
                          "or extract the pixels with interleavePixelColors: false.", e.Message);
        Assert.Contains("interleaved", e.Message);
        Assert.Contains("PixelLayout", e.Message);
        Assert.Contains("interleavePixelColors: false", e.Message);
    }

    [Fact]
    public void AModelMeetingTheOtherLayoutSaysWhichLayoutItWasTrainedOn()
    {
        using var planar = Train(Pixels(interleave: false), PixelLayout.Planar);
        var e = Assert.Throws<ColumnSchemaException>(() => planar.Transform(Pixels(interleave: true)));
        Assert.Contains("looks like interleaved pixels", e.Message);
        Assert.Contains("interleavePixelColors: false", e.Message);
    }

    [Fact]
    public void AnInterleavedModelRoundTripsThroughItsFileAndTheFileRefusesOldReaders()
    {
        var data = Pixels(interleave: true);
        using var model = Train(data, PixelLayout.Interleaved);
        var path = temp.Combine("interleaved.zip");
        ml.Model.SaveSimpleCnn(model, path);
        Assert.Contains("\"formatVersion\": 2", ManifestOf(path));

        using var loaded = new MLContext(seed: 1).Model.LoadSimpleCnn(path);
        Assert.Equal(PixelLayout.Interleaved, loaded.Model.Architecture.PixelLayout);
        Assert.Equal(Read(model.Transform(data), "Score"), Read(loaded.Transform(data), "Score"));

        // A planar model still writes version 1, which every earlier reader reads.
        using var planar = Train(Pixels(interleave: false), PixelLayout.Planar);
        var planarPath = temp.Combine("planar.zip");
        ml.Model.SaveSimpleCnn(planar, planarPath);
        Assert.Contains("\"formatVersion\": 1", ManifestOf(planarPath));
    }

    [Fact]
    public void TheOnnxExportOfAnInterleavedModelTakesInterleavedPixels()
    {
        var data = Pixels(interleave: true);
        using var model = Train(data, PixelLayout.Interleaved);
        var path = temp.Combine("interleaved.onnx");
        ml.Model.SaveSimpleCnnAsOnnx(model, path);
        var rows = Read(data, Column).Take(8).ToArray();
        var expected = Read(model.Transform(data), "Score").Take(8).ToArray();

        using var session = new InferenceSession(path);
        Assert.Equal([-1, 32, 32, 3], session.InputMetadata[SimpleCnnOnnx.InputName].Dimensions);
        Assert.Equal("32,32,3", session.ModelMetadata.CustomMetadataMap[SimpleCnnOnnx.InputShapeKey]);
        var input = new DenseTensor<float>(rows.SelectMany(r => r).ToArray(), [rows.Length, 32, 32, 3]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(SimpleCnnOnnx.InputName, input)]);
        var probabilities = results.First(r => r.Name == SimpleCnnOnnx.ProbabilitiesName).AsTensor<float>().ToArray();
        for (var i = 0; i < rows.Length; i++)
            for (var c = 0; c < 10; c++)
                Assert.Equal(expected[i][c], probabilities[i * 10 + c], 5e-6f);
    }

    [Fact]
    public void ExperimentsRefuseDataInTheOtherLayoutInsteadOfReorderingIt()
    {
        var interleavedData = Pixels(interleave: true);
        using var interleaved = Train(interleavedData, PixelLayout.Interleaved);
        var planarData = Pixels(interleave: false);
        var e = Assert.Throws<ColumnSchemaException>(() => MlNetCnn.Experiments.ExperimentContext.FromDataViews(
            planarData, planarData, model: interleaved.Model, featureColumn: Column));
        Assert.Contains("interleavePixelColors: true", e.Message);

        // Its own layout reads: the experiments see the same planar images the planar pipeline gives.
        using var context = MlNetCnn.Experiments.ExperimentContext.FromDataViews(interleavedData, interleavedData, model: interleaved.Model, featureColumn: Column);
        using var planar = MlNetCnn.Experiments.ExperimentContext.FromDataViews(planarData, planarData, featureColumn: Column);
        Assert.Equal(Read(planarData, Column).SelectMany(r => r), PlanarPixels(context));
        Assert.Equal(PlanarPixels(planar), PlanarPixels(context));
    }

    private static float[] PlanarPixels(MlNetCnn.Experiments.ExperimentContext context) =>
        TensorData.ToArray(context.Train.Features);

    [Fact]
    public void TheReportShowsTheSameImagesAndMapsForBothLayouts()
    {
        MlNetCnn.Reporting.CnnReport.CnnReportData Collect(bool interleave)
        {
            var data = Pixels(interleave);
            using var cnn = Train(data, interleave ? PixelLayout.Interleaved : PixelLayout.Planar);
            var scored = cnn.Transform(data);
            var view = ml.Transforms.ExtractFeatureMaps(cnn).Fit(scored).Transform(scored);
            var options = new MlNetCnn.Reporting.CnnReport.CnnReportOptions { FeatureColumnName = Column };
            return MlNetCnn.Reporting.CnnReport.ReportDataCollector.Collect(cnn.Model, view, options, cnn.Model.ConvLayers, MlNetCnn.Reporting.CnnReport.CnnReportGenerator.DefaultSections(), null);
        }

        var planar = Collect(interleave: false);
        var interleaved = Collect(interleave: true);
        Assert.NotEmpty(planar.Samples);
        Assert.Equal(planar.Samples.Select(s => s.Row), interleaved.Samples.Select(s => s.Row));
        // The report draws planar images: the interleaved column's rows arrive reordered, value for value.
        Assert.Equal(planar.Samples.Select(s => s.Image), interleaved.Samples.Select(s => s.Image));
        Assert.Equal(planar.Samples.Select(s => s.Maps[0]), interleaved.Samples.Select(s => s.Maps[0]));
    }

    [Fact]
    public void UnscaledPixelsTrainWithAWarningThatNamesTheScale()
    {
        var log = new List<string>();
        ml.Log += (_, e) => { lock (log) log.Add(e.Message); };
        using var model = Train(Pixels(interleave: false, scale: 1f), PixelLayout.Planar);
        Assert.Contains(log, m => m.Contains("pixel values up to 255") && m.Contains("scaleImage: 1f / 255"));

        log.Clear();
        using var scaled = Train(Pixels(interleave: false), PixelLayout.Planar);
        Assert.DoesNotContain(log, m => m.Contains("pixel values up to"));
    }
}
