using System.Collections;
using MlNetCnn.IO;
using MlNetCnn.Model;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MlNetCnn.Interop.PyTorch;

/// <summary>
/// Reads and writes PyTorch <c>state_dict</c> files (<c>torch.save(model.state_dict(), "simplecnn.pth")</c>) of the
/// seed's SimpleCNN: keys <c>conv1.weight</c>, <c>conv1.bias</c>, <c>conv2.*</c> (and <c>conv3.*</c> … for deeper
/// variants), <c>fc1.*</c>, <c>fc2.*</c>. Our <see cref="SimpleCnn"/> names its conv layers <c>convs.0</c>,
/// <c>convs.1</c>, …; this class maps <c>convN</c> ⇄ <c>convs.{N-1}</c>. Both networks flatten the last pooled map in
/// (channel, row, column) order, so <c>fc1</c> weights carry over unchanged.
/// </summary>
public static class PyTorchStateDict
{
    /// <summary>
    /// The architecture a state_dict describes. Channels, kernel size, hidden units and class count come from the
    /// tensor shapes; the input height and width are not stored in a state_dict, so they are taken from
    /// <paramref name="inputHeight"/>/<paramref name="inputWidth"/> or, when not given, assumed square and derived from
    /// <c>fc1.weight</c> (768 inputs after two 12-channel conv blocks: 8×8 pooled, so 32×32 images).
    /// </summary>
    /// <exception cref="PyTorchModelException">The file is not a state_dict of this network; the message names the key and shapes.</exception>
    public static ConvNetArchitecture ReadArchitecture(string path, int? inputHeight = null, int? inputWidth = null)
    {
        using var scope = NewDisposeScope();
        var tensors = Read(path);
        return Infer(path, tensors, inputHeight, inputWidth);
    }

    /// <summary>Loads the weights of a state_dict into a new network ready for inference, pipelines, reports and experiments.</summary>
    /// <param name="path">A file written by <c>torch.save(model.state_dict(), path)</c>.</param>
    /// <param name="classNames">One name per output of <c>fc2</c>; null names them "0", "1", ….</param>
    /// <param name="inputHeight">Input image height; null derives it (see <see cref="ReadArchitecture"/>).</param>
    /// <param name="inputWidth">Input image width; null derives it.</param>
    /// <exception cref="PyTorchModelException">A key is missing or unexpected, or a shape does not fit; the message names the key with the expected and actual shapes.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static TrainedCnn Load(string path, IReadOnlyList<string>? classNames = null, int? inputHeight = null, int? inputWidth = null)
    {
        // Before the file is read: the names are the caller's mistake, whatever the file holds.
        if (classNames != null) ClassNameCheck.ThrowIfRepeatedArgument(classNames, $"The class names for '{path}'", nameof(classNames));
        return Load(path, architecture => classNames ?? [.. Enumerable.Range(0, architecture.ClassCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            inputHeight, inputWidth);
    }

    /// <summary>
    /// Loads a state_dict like <see cref="Load(string, IReadOnlyList{string}?, int?, int?)"/>, asking for the class names
    /// once the architecture is known: the file is read and validated once, where <see cref="ReadArchitecture"/> followed
    /// by <c>Load</c> reads it twice. Exceptions thrown by <paramref name="classNamesFor"/> propagate unchanged.
    /// </summary>
    /// <param name="path">A file written by <c>torch.save(model.state_dict(), path)</c>.</param>
    /// <param name="classNamesFor">Given the architecture read from the file, returns one name per output of <c>fc2</c>.</param>
    /// <param name="inputHeight">Input image height; null derives it (see <see cref="ReadArchitecture"/>).</param>
    /// <param name="inputWidth">Input image width; null derives it.</param>
    /// <exception cref="PyTorchModelException">A key is missing or unexpected, a shape does not fit, or the names returned do not match the outputs.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static TrainedCnn Load(string path, Func<ConvNetArchitecture, IReadOnlyList<string>> classNamesFor, int? inputHeight = null, int? inputWidth = null)
    {
        ArgumentNullException.ThrowIfNull(classNamesFor);
        using var scope = NewDisposeScope();
        var tensors = Read(path);
        var architecture = Infer(path, tensors, inputHeight, inputWidth);
        var classNames = classNamesFor(architecture) ?? throw new InvalidOperationException($"{nameof(classNamesFor)} returned null for '{Path.GetFullPath(path)}'.");
        ClassNameCheck.ThrowIfRepeatedArgument(classNames, $"The class names for '{path}'", nameof(classNamesFor));
        if (classNames.Count != architecture.ClassCount)
            throw new PyTorchModelException(path, $"fc2 has {architecture.ClassCount} outputs but {classNames.Count} class names were given ({string.Join(", ", classNames)}).",
                "fc2.weight", $"[{classNames.Count}, {architecture.HiddenUnits}]", Shape(tensors["fc2.weight"]));

        var network = new SimpleCnn(architecture);
        try
        {
            var parameters = network.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            using (no_grad())
            {
                foreach (var (key, tensor) in tensors)
                {
                    var target = parameters[OurName(key)];
                    target.copy_(tensor.to_type(ScalarType.Float32));
                }
            }
            network.eval();
            return new TrainedCnn(network, classNames, [], new TrainingSettings());
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes <paramref name="model"/>'s weights as a PyTorch state_dict that the seed's unmodified <c>SimpleCNN</c>
    /// (or its deeper variant with <c>conv3</c> …) loads with <c>model.load_state_dict(torch.load(path))</c>.
    /// The file is written under a temporary name and renamed into place.
    /// </summary>
    /// <remarks>
    /// A state_dict holds weights only: a network trained with circular padding (<see cref="ConvPadding.Circular"/>) writes
    /// the same keys and shapes, and computes the same in PyTorch once the class's convs are built with
    /// <c>nn.Conv2d(..., padding=1, padding_mode='circular')</c> (<see cref="PaddingModeNote"/> says so for messages).
    /// Loaded into the unmodified seed class, which pads with zeros, it would compute something else at the borders.
    /// </remarks>
    /// <exception cref="OutputFileExistsException"><paramref name="path"/> exists (or appeared while saving) and <paramref name="overwrite"/> is false.</exception>
    public static void Save(TrainedCnn model, string path, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        Save(model, OutputFile.Check(path, overwrite));
    }

    /// <summary>As <see cref="Save(TrainedCnn, string, bool)"/>, to an output already checked.</summary>
    internal static void Save(TrainedCnn model, OutputTarget output)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(output);
        using var scope = NewDisposeScope();
        // named_parameters() runs conv1, conv2, …, fc1, fc2 with each weight before its bias: PyTorch's own order.
        var stateDict = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using (no_grad())
        using (model.Use())
        {
            foreach (var (name, parameter) in model.Network.named_parameters())
                stateDict[PyTorchName(name)] = parameter.detach().contiguous().clone();
        }
        // The pickler closes the stream it is given, so pickle into memory and hand AtomicFile the bytes.
        using var pickled = new MemoryStream();
        PyTorchPickler.PickleStateDict(pickled, stateDict);
        var bytes = pickled.ToArray();
        AtomicFile.Write(output, stream => stream.Write(bytes));
    }

    /// <summary>
    /// What the PyTorch class must change to compute what <paramref name="architecture"/> computes, beyond the weights a
    /// state_dict carries; null when the seed's class pads the same way (zeros).
    /// </summary>
    public static string? PaddingModeNote(ConvNetArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return architecture.PaddingMode == ConvPadding.Circular
            ? $"This network pads circularly: build every conv of the PyTorch class with padding_mode='circular' " +
              $"(nn.Conv2d(in, out, kernel_size={architecture.KernelSize}, padding={architecture.Padding}, padding_mode='circular')); " +
              "the seed's class pads with zeros and would compute something else at the image borders."
            : null;
    }

    /// <summary>The state_dict keys and shapes of <paramref name="architecture"/>, as the seed's PyTorch class names them.</summary>
    public static IReadOnlyList<(string Key, long[] Shape)> ExpectedKeys(ConvNetArchitecture architecture)
    {
        var keys = new List<(string, long[])>();
        foreach (var layer in architecture.InferConvShapes())
        {
            keys.Add(($"{layer.Name}.weight", [layer.OutChannels, layer.InChannels, layer.KernelSize, layer.KernelSize]));
            keys.Add(($"{layer.Name}.bias", [layer.OutChannels]));
        }
        keys.Add(("fc1.weight", [architecture.HiddenUnits, architecture.FlattenedFeatures()]));
        keys.Add(("fc1.bias", [architecture.HiddenUnits]));
        keys.Add(("fc2.weight", [architecture.ClassCount, architecture.HiddenUnits]));
        keys.Add(("fc2.bias", [architecture.ClassCount]));
        return keys;
    }

    /// <summary>convs.0.weight → conv1.weight; fc1.* unchanged.</summary>
    internal static string PyTorchName(string ours) => ConvLayerShape.ParameterName(ours);

    /// <summary>conv1.weight → convs.0.weight; fc1.* unchanged.</summary>
    internal static string OurName(string pytorch)
    {
        if (!pytorch.StartsWith("conv", StringComparison.Ordinal)) return pytorch;
        var dot = pytorch.IndexOf('.');
        return $"convs.{int.Parse(pytorch[4..dot], System.Globalization.CultureInfo.InvariantCulture) - 1}{pytorch[dot..]}";
    }

    /// <summary>Unpickles the file into key → tensor (float tensors only), with errors that name the file.</summary>
    private static Dictionary<string, Tensor> Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"PyTorch state_dict '{full}' not found.", full);
        Hashtable table;
        try
        {
            using var stream = File.OpenRead(full);
            if (stream.Length < 4)
                throw new PyTorchModelException(full, $"the file is {stream.Length} bytes long; a torch.save file is a zip archive.");
            ThrowIfBigEndian(full, stream);
            StridedTensorConstructor.Register();
            table = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: false);
        }
        catch (PyTorchModelException)
        {
            throw;
        }
        catch (NotImplementedException e) when (e.Message.Contains("entire model", StringComparison.OrdinalIgnoreCase))
        {
            throw new PyTorchModelException(full, "it holds a whole pickled model, not a state_dict: save it with torch.save(model.state_dict(), path).", innerException: e);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new PyTorchModelException(full, $"it is not a PyTorch state_dict written by torch.save ({e.GetType().Name}: {e.Message}).", innerException: e);
        }

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            var key = entry.Key as string ?? throw new PyTorchModelException(full, $"it holds a key that is not a string ({entry.Key}).");
            if (entry.Value is not Tensor tensor)
                throw new PyTorchModelException(full, $"key '{key}' holds {entry.Value?.GetType().Name ?? "nothing"}, not a tensor.", key);
            if (!is_floating_point(tensor))
                throw new PyTorchModelException(full,
                    $"key '{key}' holds {tensor.dtype} values; weights must be floating point (save the model with model.float() before torch.save).",
                    key, actualShape: Shape(tensor));
            tensors[key] = tensor;
        }
        return tensors;
    }

    /// <summary>
    /// torch.save records the byte order of the machine that wrote the file (<c>archive/byteorder</c>, "little" or
    /// "big"); the unpickler copies tensor bytes as they are, so a big-endian file would load as garbage weights
    /// (values like −1.23e17) without a word. Refused here, naming the cause. No record means little-endian (older
    /// PyTorch wrote none, and only ran little-endian in practice).
    /// </summary>
    private static void ThrowIfBigEndian(string path, Stream stream)
    {
        try
        {
            using var archive = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Read, leaveOpen: true);
            var record = archive.Entries.FirstOrDefault(e => e.FullName.EndsWith("/byteorder", StringComparison.Ordinal) || e.FullName == "byteorder");
            if (record == null) return;
            using var reader = new StreamReader(record.Open());
            var order = reader.ReadToEnd().Trim();
            if (order == "little") return;
            throw new PyTorchModelException(path,
                $"it was written on a {(order == "big" ? "big-endian" : $"'{order}'-byte-order")} machine ('{record.FullName}' says '{order}'); its weights would be read byte-swapped as garbage. " +
                "Load it with PyTorch (2.1 or later swaps the bytes) and save it again on a little-endian machine (x86-64, ARM).");
        }
        catch (InvalidDataException)
        {
            // Not a readable zip: the unpickler reports it in its own words.
        }
        finally
        {
            stream.Position = 0;
        }
    }

    private static ConvNetArchitecture Infer(string path, Dictionary<string, Tensor> tensors, int? inputHeight, int? inputWidth)
    {
        // One side alone would be dropped in favour of a derived square; say so instead.
        if (inputHeight.HasValue != inputWidth.HasValue)
            throw new ArgumentException($"Give both the input height and width, or neither (got height {inputHeight?.ToString() ?? "none"}, width {inputWidth?.ToString() ?? "none"}).",
                inputHeight.HasValue ? nameof(inputWidth) : nameof(inputHeight));
        var full = Path.GetFullPath(path);
        Tensor Require(string key, string expected) => tensors.TryGetValue(key, out var t)
            ? t
            : throw new PyTorchModelException(full, $"key '{key}' is missing (expected shape {expected}); the file has {string.Join(", ", tensors.Keys.OrderBy(k => k, StringComparer.Ordinal))}.", key, expected);

        var conv1 = Require("conv1.weight", "[out, in, k, k]");
        if (conv1.dim() != 4 || conv1.shape[2] != conv1.shape[3] || conv1.shape[2] % 2 == 0)
            throw new PyTorchModelException(full, $"key 'conv1.weight' has shape {Shape(conv1)}; expected [out, in, k, k] with an odd square kernel.", "conv1.weight", "[out, in, k, k]", Shape(conv1));
        var inChannels = (int)conv1.shape[1];
        var kernel = (int)conv1.shape[2];
        var convChannels = new List<int>();
        for (var n = 1; tensors.TryGetValue($"conv{n}.weight", out var weight); n++)
        {
            if (weight.dim() != 4) throw Mismatch(full, $"conv{n}.weight", "[out, in, k, k]", weight);
            convChannels.Add((int)weight.shape[0]);
        }
        var fc1 = Require("fc1.weight", "[hidden, flattened]");
        var fc2 = Require("fc2.weight", "[classes, hidden]");
        if (fc1.dim() != 2) throw Mismatch(full, "fc1.weight", "[hidden, flattened]", fc1);
        if (fc2.dim() != 2) throw Mismatch(full, "fc2.weight", "[classes, hidden]", fc2);

        // Input size: given, or the smallest square whose pooled map matches fc1's input count.
        var pools = 1 << convChannels.Count;
        var flattened = fc1.shape[1];
        var lastChannels = convChannels[^1];
        int height, width;
        if (inputHeight is { } h && inputWidth is { } w)
        {
            (height, width) = (h, w);
        }
        else
        {
            var area = lastChannels > 0 && flattened % lastChannels == 0 ? flattened / lastChannels : -1;
            var side = area > 0 ? (long)Math.Round(Math.Sqrt(area)) : -1;
            if (side <= 0 || side * side != area)
                throw new PyTorchModelException(full,
                    $"fc1.weight takes {flattened} inputs, which is not {lastChannels} channels × a square map, so the input image size cannot be derived: give the image height and width.",
                    "fc1.weight", $"[{fc1.shape[0]}, {lastChannels}×H×W]", Shape(fc1))
                { IsInputSizeMismatch = true };
            height = width = (int)(side * pools);
        }

        ConvNetArchitecture architecture;
        try
        {
            architecture = new ConvNetArchitecture
            {
                InputChannels = inChannels,
                InputHeight = height,
                InputWidth = width,
                ConvChannels = convChannels,
                KernelSize = kernel,
                HiddenUnits = (int)fc1.shape[0],
                ClassCount = (int)fc2.shape[0],
            };
            architecture.InferConvShapes();
        }
        catch (InvalidArchitectureException e)
        {
            throw new PyTorchModelException(full, $"its shapes describe no SimpleCNN: {e.Message}", innerException: e);
        }

        // Every expected key with its exact shape, and nothing else.
        var expected = ExpectedKeys(architecture);
        foreach (var (key, shape) in expected)
        {
            var text = Shape(shape);
            var tensor = Require(key, text);
            if (!tensor.shape.SequenceEqual(shape))
            {
                var why = key == "fc1.weight" && tensor.shape.Length == 2 && tensor.shape[0] == shape[0]
                    ? $" ({lastChannels} channels × {height / pools}×{width / pools} pooled from {height}×{width} images{(inputHeight == null ? "" : ", the size given")})"
                    : "";
                throw new PyTorchModelException(full, $"key '{key}' has shape {Shape(tensor)}, expected {text}{why}.", key, text, Shape(tensor)) { IsInputSizeMismatch = why.Length > 0 };
            }
        }
        var known = expected.Select(k => k.Key).ToHashSet(StringComparer.Ordinal);
        var unexpected = tensors.Keys.Where(k => !known.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToArray();
        if (unexpected.Length > 0)
            throw new PyTorchModelException(full,
                $"key '{unexpected[0]}' (shape {Shape(tensors[unexpected[0]])}) is not part of the seed's SimpleCNN, which has {string.Join(", ", expected.Select(k => k.Key))}" +
                (unexpected.Length > 1 ? $"; {unexpected.Length - 1} more unexpected key(s): {string.Join(", ", unexpected.Skip(1))}" : "") + ".",
                unexpected[0], null, Shape(tensors[unexpected[0]]));
        return architecture;
    }

    private static PyTorchModelException Mismatch(string path, string key, string expected, Tensor actual) =>
        new(path, $"key '{key}' has shape {Shape(actual)}, expected {expected}.", key, expected, Shape(actual));

    private static string Shape(Tensor t) => Shape(t.shape);

    private static string Shape(long[] shape) => "[" + string.Join(", ", shape) + "]";
}
