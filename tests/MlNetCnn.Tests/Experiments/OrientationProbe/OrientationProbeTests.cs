using MlNetCnn.Experiments;
using MlNetCnn.Experiments.OrientationProbe;
using MlNetCnn.Model;

namespace MlNetCnn.Tests.Experiments.OrientationProbe;

[Collection(TorchSerialCollection.Name)]
public class OrientationProbeTests
{
    private static float[] OnAllPlanes(float[] kernel3x3) => Enumerable.Range(0, 3).SelectMany(_ => kernel3x3).ToArray();

    private static double AngleDistance(double a, double b)
    {
        var d = Math.Abs(a - b) % 180;
        return Math.Min(d, 180 - d);
    }

    [Fact]
    public void GratingsAtZeroDegreesAreHorizontalStripesAndAtNinetyVertical()
    {
        var patterns = new OrientedPatternGenerator { Orientations = new[] { 0.0, 90.0 }, Periods = new[] { 4.0 }, Phases = 1 }.Generate(1, 8, 8);
        var horizontal = patterns.First(p => p.Kind == OrientedPatternKind.Grating && p.OrientationDegrees == 0).Pixels;
        var vertical = patterns.First(p => p.Kind == OrientedPatternKind.Grating && p.OrientationDegrees == 90).Pixels;
        for (var y = 0; y < 8; y++)
            for (var x = 1; x < 8; x++)
            {
                Assert.Equal(horizontal[y * 8], horizontal[y * 8 + x], 5);
                Assert.Equal(vertical[x], vertical[y * 8 + x], 5);
            }
        Assert.True(horizontal.Max() - horizontal.Min() > 0.5);
        Assert.All(patterns.SelectMany(p => p.Pixels), v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void ProbeRecoversTheOrientationOfHandSetEdgeDetectors()
    {
        var architecture = new ConvNetArchitecture { InputHeight = 16, InputWidth = 16, ClassCount = 2, ConvChannels = new[] { 4, 4 } };
        using var model = ExperimentTestModels.Untrained(architecture);
        var horizontalEdge = new float[] { 1, 1, 1, 0, 0, 0, -1, -1, -1 };   // rows differ: responds to horizontal edges (0°)
        var verticalEdge = new float[] { 1, 0, -1, 1, 0, -1, 1, 0, -1 };     // columns differ: vertical edges (90°)
        var diagonalEdge = new float[] { 0, 1, 1, -1, 0, 1, -1, -1, 0 };     // bright to the upper right: edge line along 135°
        var centreSurround = new float[] { -1, -1, -1, -1, 8, -1, -1, -1, -1 }; // isotropic
        ExperimentTestModels.SetConv(model, 0,
            new[] { horizontalEdge, verticalEdge, diagonalEdge, centreSurround }.SelectMany(OnAllPlanes).ToArray(),
            new float[4]);
        using var train = ExperimentTestModels.RandomImages(4, 3, 16, 2, seed: 1);
        using var test = ExperimentTestModels.RandomImages(4, 3, 16, 2, seed: 2);
        using var context = new ExperimentContext(train, test, model: model) { Budget = ExperimentTestModels.Tiny };

        var result = new OrientationProbeExperiment().Run(context);

        Assert.True(AngleDistance(result.Value("ch0.preferred"), 0) < 5, $"ch0 {result.Value("ch0.preferred")}");
        Assert.True(AngleDistance(result.Value("ch1.preferred"), 90) < 5, $"ch1 {result.Value("ch1.preferred")}");
        Assert.True(AngleDistance(result.Value("ch2.preferred"), 135) < 5, $"ch2 {result.Value("ch2.preferred")}");
        foreach (var ch in new[] { 0, 1, 2 })
        {
            Assert.True(result.Value($"ch{ch}.selectivity") > 0.3, $"ch{ch} selectivity {result.Value($"ch{ch}.selectivity")}");
            Assert.True(result.Value($"ch{ch}.p-value") < 0.05, $"ch{ch} p {result.Value($"ch{ch}.p-value")}");
        }
        Assert.True(result.Value("ch3.selectivity") < 0.1, $"isotropic kernel selectivity {result.Value("ch3.selectivity")}");
        Assert.Equal(3, result.Value("selective-channels"));
        Assert.Equal(Verdict.Supported, result.Verdict);
    }
}
