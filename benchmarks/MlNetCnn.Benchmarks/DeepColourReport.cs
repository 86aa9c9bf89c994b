using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Model;
using MlNetCnn.Reporting.CnnReport;

namespace MlNetCnn.Benchmarks;

/// <summary>
/// The explorer benchmarks' large page: a 3-conv-layer (6-12-24) network with random weights on random 64×64 colour
/// images. Size and speed of the page do not depend on the weights or pixels, so nothing is trained.
/// </summary>
internal static class DeepColourReport
{
    private sealed class Colour64
    {
        [VectorType(3, 64, 64)]
        public float[] Features { get; set; } = new float[3 * 64 * 64];

        [KeyType(10)]
        public uint Label { get; set; }
    }

    /// <summary>Writes the report of <paramref name="rows"/> random images (seed 4) with <paramref name="options"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, int rows, CnnReportOptions options)
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(4);
        var images = Enumerable.Range(0, rows).Select(i => new Colour64
        {
            Label = (uint)(i % 10),
            Features = [.. Enumerable.Range(0, 3 * 64 * 64).Select(_ => (float)random.NextDouble())],
        }).ToList();
        using var network = new SimpleCnn(new ConvNetArchitecture { InputHeight = 64, InputWidth = 64, ConvChannels = [6, 12, 24] });
        using var deep = new TrainedCnn(network, [.. Enumerable.Range(0, 10).Select(i => $"class{i}")], [], new TrainingSettings());
        CnnReportGenerator.Write(path, ml, deep, ml.Data.LoadFromEnumerable(images), options, overwrite: true);
    }
}
