using MlNetCnn.Experiments;
using MlNetCnn.Experiments.ReceptiveField;
using MlNetCnn.Model;

namespace MlNetCnn.Tests.Experiments.ReceptiveField;

[Collection(TorchSerialCollection.Name)]
public class ReceptiveFieldTests
{
    [Fact]
    public void DefaultSimpleCnnFieldsMatchTheHandComputation()
    {
        // conv1: 3. pool1: 3 + 1·1 = 4, jump 2. conv2: 4 + (3−1)·2 = 8. pool2: 8 + 1·2 = 10, jump 4.
        var fields = ReceptiveFields.Theoretical(ConvNetArchitecture.Default);
        Assert.Equal(new LayerReceptiveField("conv1", 3, 4, 1, 2), fields[0]);
        Assert.Equal(new LayerReceptiveField("conv2", 8, 10, 2, 4), fields[1]);
    }

    [Fact]
    public void DeeperStacksAndLargerKernelsFollowTheRecurrence()
    {
        var four = ReceptiveFields.Theoretical(ConvNetArchitecture.Default with { ConvChannels = new[] { 6, 12, 24, 48 } });
        Assert.Equal(new[] { 3, 8, 18, 38 }, four.Select(f => f.ConvOutput));
        Assert.Equal(new[] { 1, 2, 4, 8 }, four.Select(f => f.ConvStride));
        var five = ReceptiveFields.Theoretical(ConvNetArchitecture.Default with { KernelSize = 5 });
        Assert.Equal(new[] { 5, 14 }, five.Select(f => f.ConvOutput)); // 5; pool 6, jump 2; 6 + 4·2 = 14
    }

    [Fact]
    public void WindowOfTheCentreUnitIsCentredAndHasTheTheoreticalSide()
    {
        Assert.Equal((15, 17), ReceptiveFields.Window(ConvNetArchitecture.Default, 0, 16));
        Assert.Equal((13, 20), ReceptiveFields.Window(ConvNetArchitecture.Default, 1, 8)); // conv2 unit 8 ← pooled 7..9 ← conv1 14..19 ← input 13..20
        Assert.Equal((-1, 1), ReceptiveFields.Window(ConvNetArchitecture.Default, 0, 0));
    }

    [Fact]
    public void MeasuredGradientSupportEqualsTheTheoreticalWindow()
    {
        var architecture = new ConvNetArchitecture { InputHeight = 16, InputWidth = 16, ClassCount = 2, ConvChannels = new[] { 6, 12, 12 } };
        using var model = ExperimentTestModels.Untrained(architecture);
        using var train = ExperimentTestModels.RandomImages(4, 3, 16, 2, seed: 1);
        using var test = ExperimentTestModels.RandomImages(32, 3, 16, 2, seed: 2);
        using var context = new ExperimentContext(train, test, model: model) { Budget = ExperimentTestModels.Tiny with { AnalysisImages = 32 } };

        var result = new ReceptiveFieldExperiment().Run(context);

        Assert.Equal(Verdict.Supported, result.Verdict);
        foreach (var (layer, side) in new[] { ("conv1", 3), ("conv2", 8), ("conv3", 18) })
        {
            Assert.Equal(side, result.Value($"{layer}.theoretical"));
            Assert.Equal(1.0, result.Value($"{layer}.mass-inside-theoretical"), 6);
        }
        Assert.Equal(3, result.Value("conv1.support-height"));
        Assert.Equal(8, result.Value("conv2.support-width"));
        // conv3's centre unit (2 of 4) sees input rows 1..18; clipped to the 16-px image that is rows 1..15.
        Assert.Equal((1, 18), ReceptiveFields.Window(architecture, 2, 2));
        Assert.Equal(15, result.Value("conv3.support-height"));
        Assert.True(result.Value("conv2.effective-side") < 8);
        Assert.Single(result.Heatmaps);
        Assert.Equal(3, result.Heatmaps[0].Channels);
    }
}
