using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Model;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Reporting.CnnReport.Sections;
using MlNetCnn.Tests.TestSupport;
using Xunit.Abstractions;

namespace MlNetCnn.Tests.Reporting.CnnReport;

/// <summary>The explorer's size budget for a deeper model on larger images, and its on/off switch.</summary>
[Collection(Tests.Experiments.TorchSerialCollection.Name)]
public sealed class ExplorerSizeTests(ITestOutputHelper output)
{
    private sealed class Colour64
    {
        [VectorType(3, 64, 64)]
        public float[] Features { get; set; } = new float[3 * 64 * 64];

        [KeyType(10)]
        public uint Label { get; set; }
    }

    [Fact]
    public void ThreeLayer64x64ReportStaysUnder15MBAndTheExplorerCanBeLeftOut()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(4);
        var rows = Enumerable.Range(0, 60).Select(i => new Colour64
        {
            Label = (uint)(i % 10),
            Features = [.. Enumerable.Range(0, 3 * 64 * 64).Select(_ => (float)random.NextDouble())],
        }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var architecture = new ConvNetArchitecture { InputHeight = 64, InputWidth = 64, ConvChannels = [6, 12, 24] };
        using var network = new SimpleCnn(architecture);
        using var model = new TrainedCnn(network, [.. Enumerable.Range(0, 10).Select(i => $"class{i}")], [], new TrainingSettings());
        using var temp = new TempDirectory();

        var with = temp.Combine("with.html");
        var report = CnnReportGenerator.Write(with, ml, model, data, new CnnReportOptions());
        var without = temp.Combine("without.html");
        var plain = CnnReportGenerator.Write(without, ml, model, data, new CnnReportOptions { IncludeExplorer = false });
        var (sizeWith, sizeWithout) = (new FileInfo(with).Length, new FileInfo(without).Length);
        output.WriteLine($"3-layer 64×64 colour, 8 images: {sizeWith / 1e6:F2} MB with the explorer, {sizeWithout / 1e6:F2} MB without");
        Assert.True(sizeWith < 15_000_000, $"{sizeWith} bytes; the budget is 15 MB");

        Assert.Contains(report.Parts, s => s.Title == new ExplorerSection().Title);
        Assert.DoesNotContain(plain.Parts, s => s.Title == new ExplorerSection().Title);
        Assert.Contains("id=\"mlnetcnn-explorer-data\"", File.ReadAllText(with), StringComparison.Ordinal);
        Assert.DoesNotContain("mlnetcnn-explorer-data", File.ReadAllText(without), StringComparison.Ordinal);
        Assert.True(sizeWith > sizeWithout);
    }
}
