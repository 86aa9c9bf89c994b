using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetCnn.Attribution;
using MlNetCnn.Interop.Onnx;
using MlNetCnn.Model;
using static System.FormattableString;

namespace MlNetCnn.Benchmarks;

/// <summary>
/// Forward-only speed of the library's two inference engines (InferenceEngine.LibTorch, and the default Auto = ONNX
/// Runtime in process) against ONNX Runtime and ApplyOnnxModel serving the ONNX export, side by side in one process,
/// one thread each, the sides alternated round by round (median of the rounds): in-memory batches at batch 1 and 64
/// (TrainedCnn.PredictProbabilities vs InferenceSession.Run), the IDataView paths (SimpleCnnTransformer's Score and
/// ExtractFeatureMaps' conv1+conv2 through a cursor vs ApplyOnnxModel), occlusion on 8 images and faithfulness
/// curves. Then a stopwatch profile of one libtorch scoring batch, op by op.
/// </summary>
internal static class OnnxBenchmark
{
    private const int Rounds = 7;
    private static readonly TimeSpan MinimumSideTime = TimeSpan.FromSeconds(0.5);
    private const int Length = 3072;

    public static void Run(BenchmarkData data)
    {
        TorchSharp.torch.set_num_threads(1);
        using var model = data.TrainModel(threads: 1);
        var trained = model.Model;
        var onnxPath = Path.Combine(Path.GetTempPath(), $"mlnetcnn-bench-{Environment.ProcessId}.onnx");
        var mapsPath = Path.Combine(Path.GetTempPath(), $"mlnetcnn-bench-maps-{Environment.ProcessId}.onnx");
        try
        {
            data.MlContext.Model.SaveSimpleCnnAsOnnx(model, onnxPath, overwrite: true);
            data.MlContext.Model.SaveSimpleCnnAsOnnx(model, mapsPath, includeFeatureMaps: true, overwrite: true);
            Console.WriteLine();
            Console.WriteLine($"ONNX file: {new FileInfo(onnxPath).Length / 1024.0:F0} KB; test images: {data.TestImages.Length / Length:N0}; 1 thread each (ONNX Runtime intra-op threads 1, torch.set_num_threads(1)); median of {Rounds} alternated rounds of at least {MinimumSideTime.TotalSeconds:F1} s per side; load at start {MachineLoad.Describe()}");
            Console.WriteLine("| path | batch | library, LibTorch engine | library, default engine (ONNX Runtime) | ONNX Runtime / ApplyOnnxModel directly | default / direct |");
            Console.WriteLine("|---|---|---|---|---|---|");
            using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
            using var session = new InferenceSession(onnxPath, options);
            foreach (var batch in new[] { 1, 64 })
            {
                var r = Alternate(
                    () => Library(trained, InferenceEngine.LibTorch, () => Scores(trained, data.TestImages, batch)),
                    () => Library(trained, InferenceEngine.Auto, () => Scores(trained, data.TestImages, batch)),
                    () => Onnx(session, data.TestImages, batch));
                Row($"in-memory batches, img/s", batch.ToString(System.Globalization.CultureInfo.InvariantCulture), r);
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
            var view = Alternate(
                () => Library(trained, InferenceEngine.LibTorch, () => BenchmarkData.Drain(model.Transform(data.Test), "Score")),
                () => Library(trained, InferenceEngine.Auto, () => BenchmarkData.Drain(model.Transform(data.Test), "Score")),
                () => BenchmarkData.Drain(onnxScorer.Transform(data.Test), SimpleCnnOnnx.ProbabilitiesName));
            Row("IDataView Score (SimpleCnnTransformer vs ApplyOnnxModel), img/s", $"{model.InferenceBatchSize} vs 1 row", view);

            var featureMaps = ml.Transforms.ExtractFeatureMaps(trained, "Features", ["conv1", "conv2"]).Fit(data.Test);
            var onnxMaps = pixels.Append(ml.Transforms.ApplyOnnxModel(new Microsoft.ML.Transforms.Onnx.OnnxOptions
            {
                ModelFile = mapsPath,
                InputColumns = [SimpleCnnOnnx.InputName],
                OutputColumns = ["conv1", "conv2"],
                IntraOpNumThreads = 1,
                InterOpNumThreads = 1,
            })).Fit(data.Test);
            var maps = Alternate(
                () => Library(trained, InferenceEngine.LibTorch, () => BenchmarkData.Drain(featureMaps.Transform(data.Test), "conv1", "conv2")),
                () => Library(trained, InferenceEngine.Auto, () => BenchmarkData.Drain(featureMaps.Transform(data.Test), "conv1", "conv2")),
                () => BenchmarkData.Drain(onnxMaps.Transform(data.Test), "conv1", "conv2"));
            Row("IDataView conv1+conv2 maps (ExtractFeatureMaps vs ApplyOnnxModel), img/s", "64 vs 1 row", maps);

            var eight = data.TestImages.AsMemory(0, 8 * Length);
            var targets = trained.PredictClasses(eight.Span, 8);
            var occlusion = new Occlusion();
            var occluded = Alternate(
                () => Library(trained, InferenceEngine.LibTorch, () => { occlusion.Attribute(trained, eight.Span, targets); return 8; }),
                () => Library(trained, InferenceEngine.Auto, () => { occlusion.Attribute(trained, eight.Span, targets); return 8; }),
                null);
            Row("occlusion (8×8 patch, stride 2), images/s", "64 copies", occluded);
            var saliency = new Saliency().Attribute(trained, eight.Span, targets);
            var curves = Alternate(
                () => Library(trained, InferenceEngine.LibTorch, () => { Faithfulness.Measure(trained, eight.Span, targets, saliency); return 8; }),
                () => Library(trained, InferenceEngine.Auto, () => { Faithfulness.Measure(trained, eight.Span, targets, saliency); return 8; }),
                null);
            Row("faithfulness curves (20 steps, deletion + insertion), images/s", "64", curves);
            trained.InferenceEngine = InferenceEngine.Auto;

            Console.WriteLine();
            LibTorchProfile.Run(trained, data.TestImages, session);
        }
        finally
        {
            File.Delete(onnxPath);
            File.Delete(mapsPath);
        }
    }

    private static void Row(string path, string batch, (double LibTorch, double Default, double Direct, string Ratio) r) =>
        Console.WriteLine($"| {path} | {batch} | {r.LibTorch:F0} | {r.Default:F0} | {(double.IsNaN(r.Direct) ? "–" : r.Direct.ToString("F0", System.Globalization.CultureInfo.InvariantCulture))} | {r.Ratio} |");

    private static int Library(TrainedCnn model, InferenceEngine engine, Func<int> work)
    {
        model.InferenceEngine = engine;
        return work();
    }

    // Warm every side up, then alternate so a burst of other work on the machine lands on all sides; median items/s of
    // each. A side repeats its work within a round until MinimumSideTime has passed: one pass of the fast paths takes
    // ~30 ms, short enough for a scheduler hiccup to decide a round. The last column is the median of the rounds'
    // paired ratios (default against direct, or against LibTorch without a direct side) and their range.
    private static (double, double, double, string) Alternate(Func<int> first, Func<int> second, Func<int>? third)
    {
        var sides = new[] { first, second, third ?? (() => 0) };
        foreach (var side in sides) side();
        var rates = sides.Select(_ => new List<double>()).ToArray();
        var ratios = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            for (var s = 0; s < (third == null ? 2 : 3); s++)
            {
                var clock = Stopwatch.StartNew();
                var items = 0L;
                do items += sides[s](); while (clock.Elapsed < MinimumSideTime);
                rates[s].Add(items / clock.Elapsed.TotalSeconds);
            }
            ratios.Add(rates[1][^1] / (third == null ? rates[0][^1] : rates[2][^1]));
        }
        var ratio = Invariant($"{Median([.. ratios]):F2}{(third == null ? "× LibTorch" : "")} ({ratios.Min():F2}–{ratios.Max():F2})");
        return (Median(rates[0]), Median(rates[1]), third == null ? double.NaN : Median(rates[2]), ratio);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static int Scores(TrainedCnn model, float[] images, int batch)
    {
        var count = images.Length / Length;
        for (var start = 0; start < count; start += batch)
        {
            var n = Math.Min(batch, count - start);
            model.PredictProbabilities(images.AsSpan(start * Length, n * Length), n);
        }
        return count;
    }

    internal static int Onnx(InferenceSession session, float[] images, int batch)
    {
        var count = images.Length / Length;
        for (var start = 0; start < count; start += batch)
        {
            var n = Math.Min(batch, count - start);
            var input = new DenseTensor<float>(images.AsMemory(start * Length, n * Length), [n, 3, 32, 32]);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(SimpleCnnOnnx.InputName, input)]);
            _ = results.First().AsTensor<float>()[0, 0];
        }
        return count;
    }
}
