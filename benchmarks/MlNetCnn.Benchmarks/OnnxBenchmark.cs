using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetCnn.Interop.Onnx;

namespace MlNetCnn.Benchmarks;

/// <summary>
/// Scoring speed of the ONNX export against the libtorch path, side by side in one process, one thread each, the
/// two alternated round by round (median of the rounds): in-memory batches at batch 1 and 64 (ONNX Runtime
/// InferenceSession.Run vs TrainedCnn.PredictProbabilities), and through ML.NET's IDataView (ApplyOnnxModel vs the
/// SimpleCnnTransformer, Score/probabilities read through a cursor) over the test split.
/// </summary>
internal static class OnnxBenchmark
{
    private const int Rounds = 5;

    public static void Run(BenchmarkData data)
    {
        TorchSharp.torch.set_num_threads(1);
        using var model = data.TrainModel(threads: 1);
        var onnxPath = Path.Combine(Path.GetTempPath(), $"mlnetcnn-bench-{Environment.ProcessId}.onnx");
        try
        {
            data.MlContext.Model.SaveSimpleCnnAsOnnx(model, onnxPath, overwrite: true);
            Console.WriteLine();
            Console.WriteLine($"ONNX file: {new FileInfo(onnxPath).Length / 1024.0:F0} KB; test images: {data.TestImages.Length / 3072:N0}; 1 thread each (ONNX Runtime intra-op threads 1, torch.set_num_threads(1))");
            Console.WriteLine("| path | batch | libtorch (TorchSharp) img/s | ONNX Runtime img/s | ONNX / libtorch |");
            Console.WriteLine("|---|---|---|---|---|");
            using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
            using var session = new InferenceSession(onnxPath, options);
            foreach (var batch in new[] { 1, 64 })
            {
                var (torch, onnx) = Alternate(() => Torch(model.Model, data.TestImages, batch), () => Onnx(session, data.TestImages, batch));
                Console.WriteLine($"| in-memory batches | {batch} | {torch:F0} | {onnx:F0} | {onnx / torch:P0} |");
            }

            var ml = data.MlContext;
            var pixels = ml.Transforms.CopyColumns(SimpleCnnOnnx.InputName, "Features");
            var onnxScorer = pixels.Append(ml.Transforms.ApplyOnnxModel(new Microsoft.ML.Transforms.Onnx.OnnxOptions
            {
                ModelFile = onnxPath,
                InputColumns = [SimpleCnnOnnx.InputName],
                OutputColumns = [SimpleCnnOnnx.ProbabilitiesName],
                IntraOpNumThreads = 1,
                InterOpNumThreads = 1,
            })).Fit(data.Test);
            var (viewTorch, viewOnnx) = Alternate(
                () => BenchmarkData.Drain(model.Transform(data.Test), "Score"),
                () => BenchmarkData.Drain(onnxScorer.Transform(data.Test), SimpleCnnOnnx.ProbabilitiesName));
            Console.WriteLine($"| IDataView (SimpleCnnTransformer vs ApplyOnnxModel) | {model.InferenceBatchSize} vs 1 row | {viewTorch:F0} | {viewOnnx:F0} | {viewOnnx / viewTorch:P0} |");
        }
        finally
        {
            File.Delete(onnxPath);
        }
    }

    // Warm both up, then alternate so a burst of other work on the machine lands on both sides; median img/s of each.
    private static (double First, double Second) Alternate(Func<int> first, Func<int> second)
    {
        first();
        second();
        var a = new List<double>();
        var b = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            var images = first();
            a.Add(images / clock.Elapsed.TotalSeconds);
            clock.Restart();
            images = second();
            b.Add(images / clock.Elapsed.TotalSeconds);
        }
        return (Median(a), Median(b));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static int Torch(MlNetCnn.Model.TrainedCnn model, float[] images, int batch)
    {
        var count = images.Length / 3072;
        for (var start = 0; start < count; start += batch)
        {
            var n = Math.Min(batch, count - start);
            model.PredictProbabilities(images.AsSpan(start * 3072, n * 3072), n);
        }
        return count;
    }

    private static int Onnx(InferenceSession session, float[] images, int batch)
    {
        var count = images.Length / 3072;
        for (var start = 0; start < count; start += batch)
        {
            var n = Math.Min(batch, count - start);
            var input = new DenseTensor<float>(images.AsMemory(start * 3072, n * 3072), [n, 3, 32, 32]);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(SimpleCnnOnnx.InputName, input)]);
            _ = results.First().AsTensor<float>()[0, 0];
        }
        return count;
    }
}
