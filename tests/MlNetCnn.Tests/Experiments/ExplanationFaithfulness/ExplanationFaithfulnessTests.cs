using MlNetCnn.Experiments;
using MlNetCnn.Experiments.ExplanationFaithfulness;
using MlNetCnn.Tests.Experiments.OcclusionSensitivity;
using MlNetCnn.Training;

namespace MlNetCnn.Tests.Experiments.ExplanationFaithfulness;

[Collection(TorchSerialCollection.Name)]
public class ExplanationFaithfulnessTests
{
    [Fact]
    public void VerdictNamesTheMethodsThatBeatRandomWithTheirGainAndError()
    {
        using var model = OcclusionSensitivityTests.TopLeftDetector();
        // Squares of different brightness so the per-image differences vary and the standard error is finite.
        var images = Enumerable.Range(0, 6).SelectMany(i => OcclusionSensitivityTests.WhiteSquareTopLeft().Select(v => v * (0.7f + 0.05f * i))).ToArray();
        using var test = new InMemoryImageSet(images, new long[6], 3, 16, 16);
        using var train = ExperimentTestModels.RandomImages(2, 3, 16, 2, seed: 1);
        using var context = new ExperimentContext(train, test, model: model) { Budget = ExperimentTestModels.Tiny with { AnalysisImages = 6 } };

        var result = new ExplanationFaithfulnessExperiment { Methods = new[] { "occlusion", "gradcam" }, Steps = 8, Fill = 0f }.Run(context);

        Assert.Equal(Verdict.Supported, result.Verdict);
        Assert.True(result.Value("occlusion.deletion-gain") > 2 * result.Value("occlusion.deletion-gain.standard-error"));
        // The page names methods by display name; measurement keys (above) keep the registry name.
        Assert.Contains("Occlusion", result.Explanation);
        Assert.DoesNotContain("gradcam", result.Explanation);
        Assert.Contains("beat random", result.Explanation);
        Assert.Equal(2, result.Tables[0].Rows.Count);
        Assert.Equal(new[] { "Occlusion", "Grad-CAM" }, result.Tables[0].Rows.Select(r => r[0]));
        Assert.Equal(new[] { "Occlusion", "Grad-CAM" }, result.Heatmaps[0].PanelTitles);
        Assert.Equal(new[] { "Occlusion", "Grad-CAM", "random" }, result.Charts[0].Series.Select(s => s.Name));
    }
}
