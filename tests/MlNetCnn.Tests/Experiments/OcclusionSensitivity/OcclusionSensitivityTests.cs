using MlNetCnn.Attribution;
using MlNetCnn.Experiments;
using MlNetCnn.Experiments.OcclusionSensitivity;
using MlNetCnn.Model;

namespace MlNetCnn.Tests.Experiments.OcclusionSensitivity;

[Collection(TorchSerialCollection.Name)]
public class OcclusionSensitivityTests
{
    /// <summary>
    /// A hand-built two-class model on 3×16×16 images: conv1 (one channel) averages the colour planes of each pixel, the
    /// 8×8 pooled map feeds one hidden unit that sums only its top-left 4×4 cells (input rows and columns 0–7), and the
    /// class-0 logit is that sum minus 3. Only the top-left quarter of the image can change the prediction.
    /// </summary>
    internal static TrainedCnn TopLeftDetector()
    {
        var architecture = new ConvNetArchitecture { InputHeight = 16, InputWidth = 16, ClassCount = 2, ConvChannels = new[] { 1 }, HiddenUnits = 1 };
        var model = ExperimentTestModels.Untrained(architecture);
        var centreTap = new float[] { 0, 0, 0, 0, 1f / 3, 0, 0, 0, 0 };
        ExperimentTestModels.SetConv(model, 0, Enumerable.Range(0, 3).SelectMany(_ => centreTap).ToArray(), new float[1]);
        var hidden = new float[64];
        for (var y = 0; y < 4; y++)
            for (var x = 0; x < 4; x++)
                hidden[y * 8 + x] = 0.5f;
        ExperimentTestModels.SetLinear(model.Network.HiddenLayer, hidden, new float[1]);
        ExperimentTestModels.SetLinear(model.Network.OutputLayer, new float[] { 1, 0 }, new float[] { -3, 0 });
        return model;
    }

    internal static float[] WhiteSquareTopLeft()
    {
        var image = new float[3 * 16 * 16];
        for (var c = 0; c < 3; c++)
            for (var y = 0; y < 6; y++)
                for (var x = 0; x < 6; x++)
                    image[c * 256 + y * 16 + x] = 1;
        return image;
    }

    [Fact]
    public void MapPeaksOnTheRegionTheModelReadsAndIsZeroWhereItCannotMatter()
    {
        using var model = TopLeftDetector();
        var map = new Occlusion { PatchSize = 4, Stride = 1, Fill = 0.5f }.Attribute(model, WhiteSquareTopLeft(), new[] { 0 }).Values;
        var baseProbability = model.PredictProbabilities(WhiteSquareTopLeft(), 1)[0];

        Assert.True(baseProbability > 0.6, $"p(class 0) = {baseProbability}");
        var peak = Array.IndexOf(map, map.Max());
        Assert.InRange(peak / 16, 0, 5);
        Assert.InRange(peak % 16, 0, 5);
        Assert.True(map.Max() > 0.05, $"max drop {map.Max()}");
        // A pixel at row or column ≥ 11 is only ever covered by patches starting at 8 or later: outside what fc1 reads.
        for (var y = 0; y < 16; y++)
            for (var x = 0; x < 16; x++)
                if (y >= 11 || x >= 11)
                    Assert.True(Math.Abs(map[y * 16 + x]) < 1e-6, $"drop {map[y * 16 + x]} at ({y},{x})");
    }

    [Fact]
    public void ExperimentFindsTheBorderMattersForATopLeftModel()
    {
        using var setup = new TopLeftSetup(ExperimentTestModels.Tiny);

        var result = new OcclusionSensitivityExperiment { Images = 6 }.Run(setup.Context);

        // The square sits in the top-left corner, mostly outside the central half: occluding the border hurts more.
        Assert.True(result.Value("mean-border-drop") > result.Value("mean-centre-drop"));
        Assert.Equal(6, result.Heatmaps.Count > 0 ? (int)result.Value("images") : -1);
        Assert.NotNull(result.Heatmaps[0].Background);
    }

    /// <summary>The experiment's own size is capped by the budget's analysis images and refused below 1, by name.</summary>
    [Fact]
    public void ItsImageCountIsCappedByTheBudgetAndRefusedBelowOne()
    {
        using var setup = new TopLeftSetup(ExperimentTestModels.Tiny with { AnalysisImages = 4 });

        Assert.Equal(4, new OcclusionSensitivityExperiment().Run(setup.Context).Value("images"));
        var error = Assert.Throws<InvalidOperationException>(() => new OcclusionSensitivityExperiment { Images = 0 }.Run(setup.Context));
        Assert.Contains("Images must be at least 1", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Six test images with a white square in the top-left corner, and the model that detects it there.</summary>
    private sealed class TopLeftSetup : IDisposable
    {
        private readonly TrainedCnn model = TopLeftDetector();
        private readonly MlNetCnn.Training.InMemoryImageSet test =
            new(Enumerable.Range(0, 6).SelectMany(_ => WhiteSquareTopLeft()).ToArray(), new long[6], 3, 16, 16);
        private readonly MlNetCnn.Training.InMemoryImageSet train = ExperimentTestModels.RandomImages(2, 3, 16, 2, seed: 1);

        public TopLeftSetup(ExperimentBudget budget) => Context = new ExperimentContext(train, test, model: model) { Budget = budget };

        public ExperimentContext Context { get; }

        public void Dispose()
        {
            Context.Dispose();
            train.Dispose();
            test.Dispose();
            model.Dispose();
        }
    }
}
