using System.Globalization;
using Microsoft.ML;
using MlNetCnn.Model;
using MlNetCnn.Tests.Experiments;

namespace MlNetCnn.Tests.Transforms;

/// <summary>
/// The child side of <see cref="DisposeDuringUseTests"/>, run in its own process (a native crash would take the test
/// host down with it): round after round, a PredictionEngine, a cursor and an ONNX export run a transformer on three
/// threads while the main thread disposes it at a random moment. The only exception allowed is
/// <see cref="ObjectDisposedException"/> (alone or inside ML.NET's wrapper), for calls that start after the dispose;
/// every call after it must throw one. Exit 0 and one summary line when all rounds hold.
/// </summary>
internal static class DisposeDuringUseChild
{
    /// <param name="rounds">Rounds of start, dispose, join.</param>
    /// <param name="seed">Seed of the dispose moments.</param>
    /// <param name="workers">Which users run against the dispose: any of predict, cursor, export (comma separated).</param>
    /// <param name="engine">The engine the model scores with (ONNX Runtime's sessions and libtorch's tensors are freed apart).</param>
    public static int Run(int rounds, int seed, string workers, InferenceEngine engine)
    {
        var chosen = workers.Split(',');
        var ml = new MLContext(seed: 1);
        var random = new Random(seed);
        var architecture = new ConvNetArchitecture();
        var rows = Enumerable.Range(0, 96).Select(i => new Row { Features = Image(architecture, i) }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        long calls = 0, refused = 0;
        for (var round = 0; round < rounds; round++)
        {
            var model = ExperimentTestModels.Untrained(architecture, seed: round + 1);
            model.InferenceEngine = engine;
            var transformer = new MlNetCnn.Transforms.SimpleCnnTransformer(model, "Features", "Score", "PredictedLabel", 16);
            var predictions = ml.Model.CreatePredictionEngine<Row, Prediction>(transformer);
            using var start = new Barrier(chosen.Length + 1);
            var failures = new List<Exception>();
            void Worker(Action step)
            {
                start.SignalAndWait();
                for (var i = 0; i < 10_000; i++)
                {
                    try
                    {
                        step();
                        Interlocked.Increment(ref calls);
                    }
                    catch (Exception e) when (IsDisposed(e))
                    {
                        Interlocked.Increment(ref refused);
                        return;
                    }
                    catch (Exception e)
                    {
                        lock (failures) failures.Add(e);
                        return;
                    }
                }
            }
            var threads = chosen.Select(worker => worker switch
            {
                "predict" => new Thread(() => Worker(() => predictions.Predict(rows[0]))),
                "cursor" => new Thread(() => Worker(() =>
                {
                    using var cursor = transformer.Transform(data).GetRowCursor(transformer.Transform(data).Schema);
                    while (cursor.MoveNext()) { }
                })),
                "export" => new Thread(() => Worker(() => ml.Model.SaveSimpleCnnAsOnnx(transformer, Stream.Null))),
                _ => throw new ArgumentException($"Unknown worker '{worker}'.", nameof(workers)),
            }).ToArray();
            foreach (var thread in threads) thread.Start();
            start.SignalAndWait();
            Thread.Sleep(random.Next(0, 40));
            transformer.Dispose();
            foreach (var thread in threads) thread.Join();
            if (failures.Count > 0)
            {
                Console.Error.WriteLine($"round {round}: {failures.Count} unexpected exception(s); first: {failures[0]}");
                return 3;
            }
            // Calls that start after the dispose are refused, each of them.
            foreach (var late in new Action[] { () => predictions.Predict(rows[0]), () => ml.Model.SaveSimpleCnnAsOnnx(transformer, Stream.Null),
                         () => { using var c = transformer.Transform(data).GetRowCursor(transformer.Transform(data).Schema); c.MoveNext(); } })
            {
                try
                {
                    late();
                    Console.Error.WriteLine($"round {round}: a call after Dispose ran instead of throwing ObjectDisposedException: {late.Method.Name}");
                    return 4;
                }
                catch (Exception e) when (IsDisposed(e))
                {
                }
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rounds {rounds} ({workers}, {engine}), calls completed {calls}, refused after dispose {refused}"));
        return 0;
    }

    private static bool IsDisposed(Exception? e)
    {
        for (; e != null; e = e.InnerException)
            if (e is ObjectDisposedException) return true;
        return false;
    }

    private static float[] Image(ConvNetArchitecture a, int i)
    {
        var random = new Random(i);
        return Enumerable.Range(0, a.InputLength).Select(_ => random.NextSingle()).ToArray();
    }

    public sealed class Row
    {
        [Microsoft.ML.Data.VectorType(3, 32, 32)]
        public float[] Features { get; set; } = [];
    }

    public sealed class Prediction
    {
        public float[] Score { get; set; } = [];
    }
}
