using System.Buffers;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using MlNetCnn.Interop.Onnx;

namespace MlNetCnn.Model;

/// <summary>
/// The forward pass on ONNX Runtime, in process, from the network's own ONNX export (<see cref="SimpleCnnOnnxExport"/>):
/// the same operators as <see cref="SimpleCnn.Forward"/>, run by ONNX Runtime's CPU kernels, which are several times
/// faster than libtorch's convolutions with oneDNN off. Two sessions, each built on first use: one whose only output
/// is the probabilities (so ONNX Runtime may fuse Conv+Relu and the pooling), and one that also exposes every conv
/// layer's pre- and post-ReLU maps. Results are written straight into the caller's arrays (no output copies).
/// The weights are read once, when a session is built: a <see cref="TrainedCnn"/>'s weights do not change.
/// </summary>
internal sealed class OnnxRuntimeForward : IForwardEngine
{
    private readonly TrainedCnn model;
    private readonly int threads;
    private readonly object gate = new();
    private InferenceSession? classifier;
    private InferenceSession? maps;
    // Runs in flight plus one while not disposed: the sessions are freed when it reaches 0, so Dispose during a Run on
    // another thread waits for that Run to finish instead of freeing native memory it still reads.
    private int users = 1;
    private int disposed;

    /// <param name="threads">ONNX Runtime intra-op threads: libtorch's count, so both engines use the same cores.</param>
    public OnnxRuntimeForward(TrainedCnn model, int threads)
    {
        this.model = model;
        this.threads = Math.Max(1, threads);
    }

    /// <summary>
    /// Loads ONNX Runtime's native library and builds the classifier session now, so a machine where it cannot load
    /// fails here (where <see cref="InferenceEngine.Auto"/> falls back to libtorch) rather than in the middle of a scan.
    /// </summary>
    public void Prepare() => Session(withMaps: false);

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

    private void RunEntered(ReadOnlySpan<float> images, int count, float[]? probabilities, IReadOnlyList<int> layers, float[][] layerOutputs, bool preActivation)
    {
        var a = model.Architecture;
        var shapes = model.ConvLayers;
        var session = Session(withMaps: layers.Count > 0);
        var names = new List<string>(layers.Count + 1);
        var outputs = new List<OrtValue>(layers.Count + 1);
        var length = count * a.InputLength;
        var buffer = ArrayPool<float>.Shared.Rent(length);
        try
        {
            images[..length].CopyTo(buffer);
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, length),
                [count, a.InputChannels, a.InputHeight, a.InputWidth]);
            if (probabilities != null)
            {
                names.Add(SimpleCnnOnnx.ProbabilitiesName);
                outputs.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, probabilities.AsMemory(0, count * a.ClassCount), [count, a.ClassCount]));
            }
            for (var i = 0; i < layers.Count; i++)
            {
                var layer = shapes[layers[i]];
                names.Add(preActivation ? SimpleCnnOnnxExport.PreActivationName(layer) : SimpleCnnOnnx.FeatureMapName(layer.Index));
                outputs.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, layerOutputs[i].AsMemory(0, count * layer.MapLength),
                    [count, layer.OutChannels, layer.OutHeight, layer.OutWidth]));
            }
            using var runOptions = new RunOptions();
            session.Run(runOptions, [SimpleCnnOnnx.InputName], [input], names, outputs);
        }
        finally
        {
            foreach (var output in outputs) output.Dispose();
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private InferenceSession Session(bool withMaps)
    {
        var existing = withMaps ? maps : classifier;
        if (existing != null) return existing;
        lock (gate)
        {
            existing = withMaps ? maps : classifier;
            if (existing != null) return existing;
            var graph = SimpleCnnOnnxExport.Build(model, includeFeatureMaps: withMaps, includePreActivations: withMaps).ToByteArray();
            using var options = new SessionOptions
            {
                IntraOpNumThreads = threads,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            var session = new InferenceSession(graph, options);
            if (withMaps) maps = session;
            else classifier = session;
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
            classifier?.Dispose();
            maps?.Dispose();
            classifier = maps = null;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0) Exit();
    }
}
