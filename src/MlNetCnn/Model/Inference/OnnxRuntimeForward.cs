using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MlNetCnn.Model;

/// <summary>
/// The forward pass on ONNX Runtime, in process, from the network's own ONNX graph (<see cref="SimpleCnnOnnxGraph"/>, the one the ONNX export writes):
/// the same operators as <see cref="SimpleCnn.Forward"/>, run by ONNX Runtime's CPU kernels, which are several times
/// faster than libtorch's convolutions with oneDNN off. A session per set of outputs (<see cref="Outputs"/>)
/// and thread count, built on first use. Results are written straight into the caller's arrays (no output copies).
/// The weights are read once, when a session is built: a <see cref="TrainedCnn"/>'s weights do not change.
/// </summary>
internal sealed class OnnxRuntimeForward : IForwardEngine
{
    private readonly TrainedCnn model;
    private readonly object gate = new();
    // One session per set of graph outputs (see Outputs) and intra-op thread count, built on first use: ONNX Runtime
    // fixes a session's threads when it is built, and the library's threads option (libtorch's count) may change later.
    // A session for maps alone ends at its deepest layer (LastLayer; null: the whole network).
    private readonly Dictionary<(Outputs Outputs, int? LastLayer, int Threads), InferenceSession> sessions = [];
    // Runs in flight plus one while not disposed: the sessions are freed when it reaches 0, so Dispose during a Run on
    // another thread waits for that Run to finish instead of freeing native memory it still reads.
    private int users = 1;
    private int disposed;
    // One for every run: it only carries settings (none changed here), and ONNX Runtime reads it without changing it, so
    // concurrent runs share it instead of each allocating and freeing a native object per batch.
    private readonly RunOptions runOptions = new();

    public OnnxRuntimeForward(TrainedCnn model) => this.model = model;

    /// <summary>
    /// ONNX Runtime's intra-op threads for a run now: libtorch's count, which the library's threads option sets
    /// (<c>NumberOfThreads</c>, the CLI's <c>--threads</c>), so both engines use the same cores.
    /// </summary>
    internal static int CurrentThreads() => Math.Max(1, TorchSharp.torch.get_num_threads());

    /// <summary>The thread counts of the sessions built so far (tests check the threads option reached them).</summary>
    internal IReadOnlyList<int> SessionThreads
    {
        get
        {
            lock (gate) return [.. sessions.Keys.Select(k => k.Threads)];
        }
    }

    /// <summary>The options a session for <paramref name="threads"/> intra-op threads is built with.</summary>
    internal static SessionOptions CreateSessionOptions(int threads) => new()
    {
        IntraOpNumThreads = threads,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    /// <summary>
    /// Loads ONNX Runtime's native library and builds the classifier session now, so a machine where it cannot load
    /// fails here (where <see cref="InferenceEngine.Auto"/> falls back to libtorch) rather than in the middle of a scan.
    /// </summary>
    public void Prepare() => Session(Outputs.Probabilities);

    public void Run(ReadOnlySpan<float> images, int count, float[]? probabilities, IReadOnlyList<int> layers, float[][] layerOutputs, bool preActivation)
    {
        if (!TryEnter()) throw new ObjectDisposedException(nameof(TrainedCnn));
        try
        {
            RunEntered(images, count, probabilities, layers, layerOutputs, preActivation);
        }
        finally
        {
            Exit();
        }
    }

    private unsafe void RunEntered(ReadOnlySpan<float> images, int count, float[]? probabilities, IReadOnlyList<int> layers, float[][] layerOutputs, bool preActivation)
    {
        var a = model.Architecture;
        var shapes = model.ConvLayers;
        // Maps alone: a graph that ends at the deepest layer asked for (as libtorch's path stops there).
        var session = Session(layers.Count == 0 ? Outputs.Probabilities : preActivation ? Outputs.PreActivationMaps : Outputs.Maps,
            probabilities == null ? layers.Max() : null);
        var names = new List<string>(layers.Count + 1);
        var outputs = new List<OrtValue>(layers.Count + 1);
        var length = count * a.InputLength;
        // The caller's images go to ONNX Runtime where they lie, pinned for the run, instead of through a copy (about 2%
        // of a batch-64 run: the one step the library added over a direct session).
        fixed (float* pixels = images)
        {
            try
            {
                using var input = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float,
                    [count, a.InputChannels, a.InputHeight, a.InputWidth], (IntPtr)pixels, (long)length * sizeof(float));
                if (probabilities != null)
                {
                    names.Add(SimpleCnnOnnxGraph.ProbabilitiesName);
                    outputs.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, probabilities.AsMemory(0, count * a.ClassCount), [count, a.ClassCount]));
                }
                // A layer asked for twice is fetched once (ONNX Runtime refuses a repeated output name) and copied after.
                var first = layers.Count == 0 ? null : new Dictionary<int, int>();
                for (var i = 0; i < layers.Count; i++)
                {
                    if (!first!.TryAdd(layers[i], i)) continue;
                    var layer = shapes[layers[i]];
                    names.Add(preActivation ? SimpleCnnOnnxGraph.PreActivationName(layer) : layer.Name);
                    outputs.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, layerOutputs[i].AsMemory(0, count * layer.MapLength),
                        [count, layer.OutChannels, layer.OutHeight, layer.OutWidth]));
                }
                session.Run(runOptions, InputNames, [input], names, outputs);
                for (var i = 0; i < layers.Count; i++)
                {
                    if (first![layers[i]] != i)
                        layerOutputs[first[layers[i]]].AsSpan(0, count * shapes[layers[i]].MapLength).CopyTo(layerOutputs[i]);
                }
            }
            finally
            {
                foreach (var output in outputs) output.Dispose();
            }
        }
    }

    private static readonly string[] InputNames = [SimpleCnnOnnxGraph.InputName];

    // What a session's graph outputs: only the probabilities (so ONNX Runtime may fuse and re-lay-out every layer),
    // also every conv layer's post-ReLU maps, or also their pre-ReLU conv outputs (a graph output cannot be fused away).
    private enum Outputs { Probabilities, Maps, PreActivationMaps }

    private InferenceSession Session(Outputs outputs, int? lastLayer = null)
    {
        var key = (outputs, lastLayer, CurrentThreads());
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref users) == 0, this);
            if (sessions.TryGetValue(key, out var existing)) return existing;
            var graph = SimpleCnnOnnxGraph.Build(model, includeFeatureMaps: outputs != Outputs.Probabilities,
                includePreActivations: outputs == Outputs.PreActivationMaps, planarInput: true, lastLayer).ToByteArray();
            using var options = CreateSessionOptions(key.Item3);
            var session = new InferenceSession(graph, options);
            sessions.Add(key, session);
            return session;
        }
    }

    private bool TryEnter()
    {
        while (true)
        {
            var current = Volatile.Read(ref users);
            if (current == 0) return false;
            if (Interlocked.CompareExchange(ref users, current + 1, current) == current) return true;
        }
    }

    private void Exit()
    {
        if (Interlocked.Decrement(ref users) != 0) return;
        lock (gate)
        {
            foreach (var session in sessions.Values) session.Dispose();
            sessions.Clear();
            runOptions.Dispose();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0) Exit();
    }
}
