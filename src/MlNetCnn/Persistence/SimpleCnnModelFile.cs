using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.IO;
using MlNetCnn.Model;
using MlNetCnn.Transforms;

namespace MlNetCnn.Persistence;

/// <summary>
/// Reads and writes a trained SimpleCnn — and optionally the ML.NET pipeline around it — as one zip file:
/// <c>manifest.json</c> (format name, version, pipeline stages), <c>architecture.json</c>, <c>classes.json</c>,
/// <c>history.json</c>, <c>settings.json</c>, <c>weights.bin</c> (TorchSharp's state-dict format) and, for ML.NET
/// stages, <c>pipeline/*.mlnet.zip</c> entries written by <c>mlContext.Model.Save</c>. Writes are atomic: the file is
/// built under a temporary name in the same directory and renamed over the target only when complete.
/// The public way in is the catalog verbs <c>mlContext.Model.SaveSimpleCnn</c> / <c>LoadSimpleCnn</c> (one save path);
/// this class is their implementation. See Persistence/README.md for the format.
/// </summary>
internal static class SimpleCnnModelFile
{
    /// <summary>Value of <c>format</c> in the manifest.</summary>
    public const string FormatName = "MlNetCnn.SimpleCnnModel";

    /// <summary>The newest format version this library reads (and writes when a model needs it, see <see cref="VersionFor"/>).</summary>
    public const int FormatVersion = 2;

    /// <summary>
    /// The oldest version that holds everything <paramref name="model"/> needs: 1 for planar models, so files stay
    /// readable by libraries that know only version 1; 2 for interleaved ones (<c>pixelLayout</c> in architecture.json),
    /// which a version-1 reader would silently misread as planar, so it refuses them instead.
    /// </summary>
    internal static int VersionFor(TrainedCnn model) => model.Architecture.PixelLayout == PixelLayout.Planar ? 1 : 2;

    internal const string ManifestEntry = "manifest.json";
    internal const string ArchitectureEntry = "architecture.json";
    internal const string ClassesEntry = "classes.json";
    internal const string HistoryEntry = "history.json";
    internal const string SettingsEntry = "settings.json";
    internal const string WeightsEntry = "weights.bin";
    internal const string InputSchemaEntry = "pipeline/input-schema.mlnet.zip";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        // A history can hold NaN or infinity (a user's own loop, or a model loaded from elsewhere); JSON has no
        // literal for them, so write them as "NaN"/"Infinity" instead of failing the save.
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Saves the network, class names, training history and settings (no pipeline) to <paramref name="path"/>.</summary>
    public static void Save(TrainedCnn model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        Write(OutputFile.Check(path, overwrite: true), model, new ModelFileManifest(), Array.Empty<(string, byte[])>());
    }

    /// <summary>Loads the network stored in <paramref name="path"/> (by <see cref="Save"/> or <c>SaveSimpleCnn</c>). The caller disposes it.</summary>
    /// <exception cref="ModelFileException">The file is not a readable model file of a supported version.</exception>
    public static TrainedCnn LoadNetwork(string path)
    {
        using var file = ModelFileReader.Open(path);
        file.ReadManifest();
        return file.ReadNetwork();
    }

    /// <summary>
    /// Saves a pipeline: ML.NET transformers (saved with <paramref name="mlnet"/>), SimpleCnn classifiers and
    /// feature-map extractors, all of the CNN stages using one network.
    /// </summary>
    /// <param name="output">Checked before anything is serialised (<see cref="OutputFile.Check"/>), by the catalog verb or the app.</param>
    internal static void SavePipeline(ModelOperationsCatalog mlnet, ITransformer model, DataViewSchema? inputSchema, OutputTarget output)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(output);
        var transformers = Flatten(model).ToList();
        var network = transformers.Select(NetworkOf).FirstOrDefault(n => n != null)
            ?? throw new ArgumentException("The pipeline has no SimpleCnnTransformer or FeatureMapExtractingTransformer; save it with mlContext.Model.Save.", nameof(model));
        if (transformers.Select(NetworkOf).Any(n => n != null && !ReferenceEquals(n, network)))
            throw new NotSupportedException("All SimpleCnn stages of a saved pipeline must share one network; this pipeline uses several.");

        var manifest = new ModelFileManifest();
        var entries = new List<(string Name, byte[] Content)>();
        if (inputSchema != null)
        {
            // An empty ML.NET chain is the public way to serialise a DataViewSchema (types, key values, slot names).
            entries.Add((InputSchemaEntry, SaveMlNet(mlnet, new TransformerChain<ITransformer>(), inputSchema)));
            manifest.InputSchemaEntry = InputSchemaEntry;
        }

        var schema = inputSchema;
        var segment = new List<ITransformer>();
        DataViewSchema? segmentSchema = schema;
        void FlushSegment()
        {
            if (segment.Count == 0) return;
            // Without a schema ML.NET saves the transformers alone (mlContext.Model.Save allows a null schema); loading
            // then gives no input schema back, and the transformers check their columns when they transform.
            var entry = $"pipeline/stage-{manifest.Stages.Count:000}.mlnet.zip";
            entries.Add((entry, SaveMlNet(mlnet, new TransformerChain<ITransformer>(segment.ToArray()), segmentSchema)));
            manifest.Stages.Add(new ModelFileStage { Kind = ModelFileStage.MlNetKind, Entry = entry });
            segment.Clear();
        }

        foreach (var transformer in transformers)
        {
            switch (transformer)
            {
                case SimpleCnnTransformer classifier:
                    FlushSegment();
                    manifest.Stages.Add(new ModelFileStage
                    {
                        Kind = ModelFileStage.ClassifierKind,
                        FeatureColumnName = classifier.FeatureColumnName,
                        ScoreColumnName = classifier.ScoreColumnName,
                        PredictedLabelColumnName = classifier.PredictedLabelColumnName,
                        BatchSize = classifier.InferenceBatchSize,
                    });
                    break;
                case FeatureMapExtractingTransformer maps:
                    FlushSegment();
                    manifest.Stages.Add(new ModelFileStage
                    {
                        Kind = ModelFileStage.FeatureMapsKind,
                        FeatureColumnName = maps.InputColumnName,
                        Layers = maps.Layers.ToArray(),
                        OutputColumnNames = maps.OutputColumnNames.ToArray(),
                        PreActivation = maps.PreActivation,
                        BatchSize = maps.BatchSize,
                    });
                    break;
                default:
                    if (segment.Count == 0) segmentSchema = schema;
                    segment.Add(transformer);
                    break;
            }
            schema = schema == null ? null : transformer.GetOutputSchema(schema);
        }
        FlushSegment();
        Write(output, network, manifest, entries);
    }

    /// <summary>Loads what <see cref="SavePipeline"/> (or <see cref="Save"/>) wrote, as a flat chain.</summary>
    internal static TransformerChain<ITransformer> LoadPipeline(ModelOperationsCatalog mlnet, string path, out DataViewSchema? inputSchema)
    {
        using var file = ModelFileReader.Open(path);
        var manifest = file.ReadManifest();
        inputSchema = manifest.InputSchemaEntry == null ? null : ReadSchema(file, mlnet, manifest.InputSchemaEntry);

        var model = file.ReadNetwork();
        try
        {
            var stages = new List<ITransformer>();
            if (manifest.Stages.Count == 0)
                stages.Add(DefaultClassifier(model));
            // Without a classifier stage nothing else would dispose the network: the feature-map stages own it.
            var featureMapsOwnModel = !manifest.Stages.Any(s => s.Kind == ModelFileStage.ClassifierKind);
            foreach (var stage in manifest.Stages)
                stages.AddRange(file.ReadStage(mlnet, stage, model, featureMapsOwnModel));
            return new TransformerChain<ITransformer>(stages.ToArray());
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static DataViewSchema ReadSchema(ModelFileReader file, ModelOperationsCatalog mlnet, string entry)
    {
        file.ReadMlNet(mlnet, entry, out var schema);
        return schema;
    }

    internal static SimpleCnnTransformer DefaultClassifier(TrainedCnn model) =>
        new(model, SimpleCnnTrainer.Defaults.FeatureColumnName, SimpleCnnTrainer.Defaults.ScoreColumnName,
            SimpleCnnTrainer.Defaults.PredictedLabelColumnName, model.Settings.InferenceBatchSize);

    internal static IEnumerable<ITransformer> Flatten(ITransformer transformer)
    {
        if (transformer is IEnumerable<ITransformer> chain)
        {
            foreach (var inner in chain)
                foreach (var t in Flatten(inner))
                    yield return t;
        }
        else
        {
            yield return transformer;
        }
    }

    /// <summary>The network a SimpleCnn stage runs, or null for any other transformer.</summary>
    internal static TrainedCnn? NetworkOf(ITransformer transformer) => transformer switch
    {
        SimpleCnnTransformer c => c.Model,
        FeatureMapExtractingTransformer f => f.Model,
        _ => null,
    };

    private static byte[] SaveMlNet(ModelOperationsCatalog mlnet, ITransformer transformer, DataViewSchema? schema)
    {
        using var buffer = new MemoryStream();
        mlnet.Save(transformer, schema!, buffer);
        return buffer.ToArray();
    }

    private static void Write(OutputTarget output, TrainedCnn model, ModelFileManifest manifest, IEnumerable<(string Name, byte[] Content)> extraEntries)
    {
        manifest.Format = FormatName;
        manifest.FormatVersion = VersionFor(model);
        manifest.WrittenBy = "MlNetCnn " + typeof(SimpleCnnModelFile).Assembly.GetName().Version;

        byte[] weights;
        using (var buffer = new MemoryStream())
        {
            using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
            using (model.Use())
                model.Network.save(writer);
            weights = buffer.ToArray();
        }

        var entries = new List<(string Name, byte[] Content)>
        {
            (ArchitectureEntry, ToJson(model.Architecture)),
            (ClassesEntry, ToJson(model.ClassNames)),
            (HistoryEntry, ToJson(model.History)),
            (SettingsEntry, ToJson(model.Settings)),
            (WeightsEntry, weights),
        };
        entries.AddRange(extraEntries);
        manifest.Sha256 = entries.ToDictionary(e => e.Name, e => Sha256Of(e.Content));

        AtomicFile.Write(output, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            AddBytes(zip, ManifestEntry, ToJson(manifest));
            foreach (var (name, content) in entries)
                AddBytes(zip, name, content);
        });
    }

    internal static string Sha256Of(byte[] content) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));

    private static byte[] ToJson<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Json);

    private static void AddBytes(ZipArchive zip, string name, byte[] content)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        using var stream = entry.Open();
        stream.Write(content);
    }

    internal static JsonSerializerOptions JsonOptions => Json;

    /// <summary><see cref="JsonOptions"/> refusing members the type does not have (for the architecture).</summary>
    internal static JsonSerializerOptions StrictJsonOptions { get; } = new(Json) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };
}
