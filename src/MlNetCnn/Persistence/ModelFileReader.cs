using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML;
using MlNetCnn.Model;
using MlNetCnn.Transforms;

namespace MlNetCnn.Persistence;

/// <summary>
/// Reads the entries of a model file, turning every way it can be broken (not a zip, truncated, CRC mismatch,
/// missing entry, bad JSON, unknown version, weights that do not fit the architecture) into a
/// <see cref="ModelFileException"/> that names the file and the entry.
/// </summary>
internal sealed class ModelFileReader : IDisposable
{
    private readonly string path;
    private readonly FileStream stream;
    private readonly ZipArchive zip;
    private IReadOnlyDictionary<string, string>? checksums;

    // Guards MemoryStream (int-indexed) against an entry header claiming gigabytes.
    private const long MaxEntryBytes = int.MaxValue / 2;

    private ModelFileReader(string path, FileStream stream, ZipArchive zip)
    {
        this.path = path;
        this.stream = stream;
        this.zip = zip;
    }

    public static ModelFileReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
            throw new ModelFileException(path, "it is a folder, not a model file; give the .zip file written by SaveSimpleCnn (or `mlnetcnn train --output`).");
        if (!File.Exists(path))
            throw new FileNotFoundException($"Model file '{path}' not found; give the .zip file written by SaveSimpleCnn (or `mlnetcnn train --output`).", path);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ModelFileException(path, "permission denied; make the file readable.", null, e);
        }
        try
        {
            return new ModelFileReader(path, stream, new ZipArchive(stream, ZipArchiveMode.Read));
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or ArgumentException or NotSupportedException)
        {
            var length = stream.Length;
            stream.Dispose();
            throw new ModelFileException(path,
                $"it is not a readable zip archive ({length} bytes; truncated, corrupted or not a model file): {e.Message}", null, e);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public ModelFileManifest ReadManifest()
    {
        var manifest = ReadJson<ModelFileManifest>(SimpleCnnModelFile.ManifestEntry);
        if (manifest.Format != SimpleCnnModelFile.FormatName)
            throw Fail($"entry '{SimpleCnnModelFile.ManifestEntry}' names format '{manifest.Format}', expected '{SimpleCnnModelFile.FormatName}'.", SimpleCnnModelFile.ManifestEntry);
        if (manifest.FormatVersion < 1 || manifest.FormatVersion > SimpleCnnModelFile.FormatVersion)
            throw Fail($"format version {manifest.FormatVersion} is not supported; this library reads format version {(SimpleCnnModelFile.FormatVersion == 1 ? "1" : $"1 to {SimpleCnnModelFile.FormatVersion}")}" +
                       (manifest.FormatVersion > SimpleCnnModelFile.FormatVersion ? " (the file was written by a newer MlNetCnn)." : "."),
                SimpleCnnModelFile.ManifestEntry);
        manifest.Stages ??= new List<ModelFileStage>();
        checksums = manifest.Sha256 ?? new Dictionary<string, string>();
        return manifest;
    }

    /// <summary>Builds the network from architecture.json and loads weights.bin into it. The caller owns the result.</summary>
    public TrainedCnn ReadNetwork()
    {
        // Strict: a field this library does not know (a newer option, a typo) would otherwise be dropped and the network
        // built without it — computing something other than what was saved.
        var architecture = ReadJson<ConvNetArchitecture>(SimpleCnnModelFile.ArchitectureEntry, SimpleCnnModelFile.StrictJsonOptions);
        var classes = ReadJson<string[]>(SimpleCnnModelFile.ClassesEntry);
        var history = ReadJson<EpochMetrics[]>(SimpleCnnModelFile.HistoryEntry);
        var settings = ReadJson<TrainingSettings>(SimpleCnnModelFile.SettingsEntry);
        var weights = ReadBytes(SimpleCnnModelFile.WeightsEntry);

        SimpleCnn network; // its constructor is the first touch of torch: it loads libtorch and picks the safe kernels
        try
        {
            network = new SimpleCnn(architecture);
        }
        catch (InvalidArchitectureException e)
        {
            throw Fail($"entry '{SimpleCnnModelFile.ArchitectureEntry}' describes a network that cannot be built: {e.Message}", SimpleCnnModelFile.ArchitectureEntry, e);
        }

        try
        {
            using (var buffer = new MemoryStream(weights, writable: false))
            using (var reader = new BinaryReader(buffer))
            {
                try
                {
                    network.load(reader, strict: true);
                }
                catch (Exception e) when (e is ArgumentException or EndOfStreamException or IOException or FormatException or InvalidOperationException or NotImplementedException or OverflowException)
                {
                    throw Fail($"entry '{SimpleCnnModelFile.WeightsEntry}' does not hold weights for the architecture in '{SimpleCnnModelFile.ArchitectureEntry}' " +
                               $"(conv channels [{string.Join(", ", architecture.ConvChannels)}]): {Printable(e.Message)}", SimpleCnnModelFile.WeightsEntry, e);
                }
                if (buffer.Position != buffer.Length)
                    throw Fail($"entry '{SimpleCnnModelFile.WeightsEntry}' has {buffer.Length - buffer.Position} bytes after the last tensor.", SimpleCnnModelFile.WeightsEntry);
            }

            try
            {
                var model = new TrainedCnn(network, classes, history, settings);
                model.LoadWarnings = model.Diagnose();
                return model;
            }
            catch (RepeatedClassNameException e)
            {
                throw Fail($"entry '{SimpleCnnModelFile.ClassesEntry}': {e.Message}", SimpleCnnModelFile.ClassesEntry, e);
            }
            catch (ArgumentException e)
            {
                throw Fail($"entry '{SimpleCnnModelFile.ClassesEntry}' does not fit the architecture: {e.Message}", SimpleCnnModelFile.ClassesEntry, e);
            }
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The transformers of one stage (an ML.NET entry may hold several). <paramref name="featureMapsOwnModel"/>: no
    /// classifier stage owns <paramref name="model"/>, so feature-map stages dispose it (several owners are safe).
    /// </summary>
    public IEnumerable<ITransformer> ReadStage(ModelOperationsCatalog mlnet, ModelFileStage stage, TrainedCnn model, bool featureMapsOwnModel)
    {
        switch (stage.Kind)
        {
            case ModelFileStage.MlNetKind:
                if (string.IsNullOrEmpty(stage.Entry))
                    throw Fail($"an ML.NET stage in '{SimpleCnnModelFile.ManifestEntry}' names no entry.", SimpleCnnModelFile.ManifestEntry);
                var transformer = ReadMlNet(mlnet, stage.Entry, out _);
                return transformer is IEnumerable<ITransformer> chain ? chain.ToArray() : new[] { transformer };

            case ModelFileStage.ClassifierKind:
                return new ITransformer[]
                {
                    new SimpleCnnTransformer(model,
                        Required(stage.FeatureColumnName, "featureColumnName"),
                        Required(stage.ScoreColumnName, "scoreColumnName"),
                        Required(stage.PredictedLabelColumnName, "predictedLabelColumnName"),
                        BatchSize(stage)),
                };

            case ModelFileStage.FeatureMapsKind:
                try
                {
                    var (layers, outputs) = FeatureMapExtractingEstimator.ResolveColumns(model, stage.Layers, stage.OutputColumnNames, "");
                    return new ITransformer[]
                    {
                        new FeatureMapExtractingTransformer(model, Required(stage.FeatureColumnName, "featureColumnName"), layers, outputs,
                            stage.PreActivation ?? false, BatchSize(stage), featureMapsOwnModel),
                    };
                }
                catch (ArgumentException e)
                {
                    throw Fail($"a feature-map stage in '{SimpleCnnModelFile.ManifestEntry}' does not fit the network: {e.Message}", SimpleCnnModelFile.ManifestEntry, e);
                }

            default:
                throw Fail($"entry '{SimpleCnnModelFile.ManifestEntry}' has a stage of unknown kind '{stage.Kind}'.", SimpleCnnModelFile.ManifestEntry);
        }
    }

    /// <summary>Loads an ML.NET model entry with <paramref name="mlnet"/>.</summary>
    public ITransformer ReadMlNet(ModelOperationsCatalog mlnet, string entry, out DataViewSchema schema)
    {
        var bytes = ReadBytes(entry);
        try
        {
            using var buffer = new MemoryStream(bytes, writable: false);
            return mlnet.Load(buffer, out schema);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw Fail($"entry '{entry}' is not a loadable ML.NET model: {Printable(e.Message)}", entry, e);
        }
    }

    private T ReadJson<T>(string entry, JsonSerializerOptions? options = null) where T : class
    {
        var bytes = ReadBytes(entry);
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, options ?? SimpleCnnModelFile.JsonOptions)
                ?? throw Fail($"entry '{entry}' is null.", entry);
        }
        catch (JsonException e)
        {
            throw Fail($"entry '{entry}' is not valid JSON for {typeof(T).Name}: {e.Message}", entry, e);
        }
    }

    private byte[] ReadBytes(string entry)
    {
        byte[] content;
        try
        {
            // ZipArchive reads the central directory lazily: a damaged one fails here, not when the file is opened.
            var zipEntry = zip.GetEntry(entry)
                ?? throw Fail($"entry '{entry}' is missing (the file has {string.Join(", ", zip.Entries.Select(e => e.FullName))}).", entry);
            if (zipEntry.Length > MaxEntryBytes)
                throw Fail(FormattableString.Invariant($"entry '{entry}' claims {zipEntry.Length:N0} bytes, more than a model file entry can hold ({MaxEntryBytes:N0})."), entry);
            using var source = zipEntry.Open();
            using var buffer = new MemoryStream();
            source.CopyTo(buffer);
            content = buffer.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or NotSupportedException or ArgumentException ||
                                  e is IOException and not ModelFileException)
        {
            throw Fail($"entry '{entry}' cannot be read; the zip directory or the entry is damaged: {Printable(e.Message)}", entry, e);
        }

        // Every entry but the manifest is listed with its SHA-256 in the manifest (read first).
        if (entry != SimpleCnnModelFile.ManifestEntry)
        {
            if (checksums == null || !checksums.TryGetValue(entry, out var expected))
                throw Fail($"entry '{entry}' has no checksum in '{SimpleCnnModelFile.ManifestEntry}'.", entry);
            var actual = SimpleCnnModelFile.Sha256Of(content);
            if (!string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
                throw Fail($"entry '{entry}' is corrupted: its SHA-256 is {actual}, the manifest records {expected}.", entry);
        }
        return content;
    }

    /// <summary>Inner messages can quote bytes from a corrupt file; keep them printable and short.</summary>
    private static string Printable(string message)
    {
        var text = new string(message.Select(c => char.IsControl(c) || c == '\uFFFD' ? '?' : c).ToArray());
        return text.Length <= 300 ? text : text[..300] + "…";
    }

    private string Required(string? value, string field) =>
        string.IsNullOrEmpty(value) ? throw Fail($"a stage in '{SimpleCnnModelFile.ManifestEntry}' lacks '{field}'.", SimpleCnnModelFile.ManifestEntry) : value;

    private int BatchSize(ModelFileStage stage) =>
        stage.BatchSize is { } size and > 0 and <= Transforms.Scoring.BatchLimit.Largest
            ? size
            : throw Fail($"a stage in '{SimpleCnnModelFile.ManifestEntry}' has batch size {stage.BatchSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}; " +
                         $"expected 1 to {Transforms.Scoring.BatchLimit.Largest:N0}.", SimpleCnnModelFile.ManifestEntry);

    private ModelFileException Fail(string problem, string? entry, Exception? inner = null) => new(path, problem, entry, inner);

    public void Dispose()
    {
        zip.Dispose();
        stream.Dispose();
    }
}
