using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Persistence;

/// <summary>
/// The child side of <see cref="FreshProcessTests"/>, run in its own process by <see cref="ChildEntryPoint"/>: it
/// loads the saved files and writes what they compute.
/// </summary>
public static class FreshProcessChild
{
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

    /// <summary>Loads the models saved in <paramref name="directory"/> and writes their outputs beside them.</summary>
    public static void WritePredictionsOfSavedModels(string directory, string indexPath, int threads)
    {
        var paths = Paths.In(directory);
        TorchSharp.torch.set_num_threads(threads);

        var ml = new MLContext(seed: 5);
        using (var classifier = ml.Model.LoadSimpleCnn(paths.Classifier))
            File.WriteAllBytes(paths.ClassifierOutput, PersistenceTestModel.Predictions(ml, classifier, Rows));

        var pipeline = ml.Model.LoadSimpleCnn(paths.Pipeline, out _);
        var index = LoadIndex(ml, indexPath);
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
