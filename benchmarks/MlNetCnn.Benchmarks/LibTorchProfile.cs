using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using MlNetCnn.Model;
using static TorchSharp.torch;

namespace MlNetCnn.Benchmarks;

/// <summary>
/// Where one libtorch scoring batch spends its time: the steps of TrainedCnn.Infer on the LibTorch engine timed one by
/// one with a stopwatch (mean µs per batch over the test split), at batch 1 and 64, one thread, beside the whole call and
/// ONNX Runtime's Run on the same batches. The steps are the ones SimpleCnn.Forward runs, in its order.
/// </summary>
internal static class LibTorchProfile
{
    private const int Length = 3072;

    private static readonly string[] Steps =
    [
        "dispose scope + no_grad (open, close, free the batch's tensors)",
        "input tensor (empty + copy from managed)",
        "conv1 (3→6, 3×3, pad 1)",
        "relu1",
        "max-pool1",
        "conv2 (6→12, 3×3, pad 1)",
        "relu2",
        "max-pool2",
        "flatten + fc1 + relu + fc2",
        "softmax",
        "copy probabilities out",
    ];

    public static void Run(TrainedCnn model, float[] images, InferenceSession session)
    {
        Console.WriteLine($"Profile of one scoring batch on the LibTorch engine (oneDNN convolutions off), mean µs per batch, 1 thread; load {MachineLoad.Describe()}");
        Console.WriteLine("| step | batch 1 µs | batch 1 share | batch 64 µs | batch 64 share |");
        Console.WriteLine("|---|---|---|---|---|");
        var one = Profile(model, images, 1);
        var many = Profile(model, images, 64);
        var (sum1, sum64) = (one.Sum(), many.Sum());
        for (var s = 0; s < Steps.Length; s++)
            Console.WriteLine($"| {Steps[s]} | {one[s]:F1} | {one[s] / sum1:P0} | {many[s]:F0} | {many[s] / sum64:P0} |");
        Console.WriteLine($"| sum of the steps | {sum1:F1} | | {sum64:F0} | |");
        model.InferenceEngine = InferenceEngine.LibTorch;
        Console.WriteLine($"| whole PredictProbabilities, LibTorch engine | {Whole(b => Batches(images, b, (s, n) => model.PredictProbabilities(s, n)), 1):F1} | | {Whole(b => Batches(images, b, (s, n) => model.PredictProbabilities(s, n)), 64):F0} | |");
        model.InferenceEngine = InferenceEngine.Auto;
        Console.WriteLine($"| whole PredictProbabilities, default engine (ONNX Runtime) | {Whole(b => Batches(images, b, (s, n) => model.PredictProbabilities(s, n)), 1):F1} | | {Whole(b => Batches(images, b, (s, n) => model.PredictProbabilities(s, n)), 64):F0} | |");
        Console.WriteLine($"| ONNX Runtime InferenceSession.Run directly | {Whole(b => OnnxBenchmark.Onnx(session, images, b), 1):F1} | | {Whole(b => OnnxBenchmark.Onnx(session, images, b), 64):F0} | |");
    }

    private delegate void Score(ReadOnlySpan<float> images, int count);

    private static int Batches(float[] images, int batch, Score score)
    {
        var count = images.Length / Length;
        for (var start = 0; start < count; start += batch)
            score(images.AsSpan(start * Length, Math.Min(batch, count - start) * Length), Math.Min(batch, count - start));
        return count;
    }

    // Mean µs per batch of a whole pass (after one warm-up pass).
    private static double Whole(Func<int, int> pass, int batch)
    {
        pass(batch);
        var clock = Stopwatch.StartNew();
        var count = pass(batch);
        var batches = (count + batch - 1) / batch;
        return clock.Elapsed.TotalMicroseconds / batches;
    }

    private static double[] Profile(TrainedCnn model, float[] images, int batch)
    {
        var network = model.Network;
        var (conv1, conv2) = (network.ConvLayers[0], network.ConvLayers[1]);
        var totals = new double[Steps.Length];
        var count = images.Length / Length;
        var batches = 0;
        var probabilities = new float[batch * model.Architecture.ClassCount];
        for (var pass = 0; pass < 2; pass++) // the first pass warms up; the second is timed
        {
            Array.Clear(totals);
            batches = 0;
            for (var start = 0; start + batch <= count; start += batch, batches++)
            {
                var t = Stopwatch.GetTimestamp();
                void Lap(int step)
                {
                    var now = Stopwatch.GetTimestamp();
                    totals[step] += Stopwatch.GetElapsedTime(t, now).TotalMicroseconds;
                    t = now;
                }
                var scope = NewDisposeScope();
                var noGrad = no_grad();
                Lap(0);
                var input = TensorData.FromSpan(images.AsSpan(start * Length, batch * Length), batch, 3, 32, 32);
                Lap(1);
                var x = conv1.call(input);
                Lap(2);
                x = nn.functional.relu(x);
                Lap(3);
                x = nn.functional.max_pool2d(x, 2, 2);
                Lap(4);
                x = conv2.call(x);
                Lap(5);
                x = nn.functional.relu(x);
                Lap(6);
                x = nn.functional.max_pool2d(x, 2, 2);
                Lap(7);
                x = network.OutputLayer.call(nn.functional.relu(network.HiddenLayer.call(x.flatten(1))));
                Lap(8);
                x = nn.functional.softmax(x, 1);
                Lap(9);
                TensorData.CopyTo(x, probabilities);
                Lap(10);
                noGrad.Dispose();
                scope.Dispose();
                Lap(0);
            }
        }
        for (var s = 0; s < totals.Length; s++) totals[s] /= batches;
        return totals;
    }
}
