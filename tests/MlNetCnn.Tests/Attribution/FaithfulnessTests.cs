using MlNetCnn.Attribution;
using MlNetCnn.Tests.Experiments;
using MlNetCnn.Tests.Experiments.OcclusionSensitivity;

namespace MlNetCnn.Tests.Attribution;

/// <summary>Deletion and insertion curves on a model that reads only the top-left quarter of a 16×16 image.</summary>
[Collection(TorchSerialCollection.Name)]
public class FaithfulnessTests
{
    private static AttributionMaps RankQuarter(bool topLeftFirst)
    {
        var values = new float[16 * 16];
        for (var y = 0; y < 16; y++)
            for (var x = 0; x < 16; x++)
                values[y * 16 + x] = (y < 8 && x < 8) == topLeftFirst ? 1 : 0;
        return new AttributionMaps(topLeftFirst ? "top-left" : "elsewhere", values, 1, 1, 16, 16, keepsChannels: false);
    }

    [Fact]
    public void CurvesStartAndEndAtTheOriginalAndTheBlankImageAndRankingTheEvidenceFirstWins()
    {
        using var model = OcclusionSensitivityTests.TopLeftDetector();
        var image = OcclusionSensitivityTests.WhiteSquareTopLeft();
        var options = new FaithfulnessOptions { Steps = 8, Fill = 0f };
        var original = (double)model.PredictProbabilities(image, 1)[0];
        var blank = (double)model.PredictProbabilities(Enumerable.Repeat(0f, image.Length).ToArray(), 1)[0];

        var evidence = Faithfulness.Measure(model, image, new[] { 0 }, RankQuarter(topLeftFirst: true), options);
        var elsewhere = Faithfulness.Measure(model, image, new[] { 0 }, RankQuarter(topLeftFirst: false), options);

        Assert.Equal(Enumerable.Range(0, 9).Select(s => s / 8.0), evidence.Fractions);
        foreach (var c in new[] { evidence, elsewhere })
        {
            Assert.Equal(original, c.Deletion[0][0], 6);
            Assert.Equal(blank, c.Deletion[0][^1], 6);
            Assert.Equal(blank, c.Insertion[0][0], 6);
            Assert.Equal(original, c.Insertion[0][^1], 6);
        }
        // Removing the 75% of pixels the model never reads leaves p(class) exactly where it was.
        for (var s = 0; s <= 6; s++) Assert.Equal(original, elsewhere.Deletion[0][s], 6);
        Assert.True(original - blank > 0.5, $"p(class) {original} on the image vs {blank} blank");
        Assert.True(evidence.MeanDeletionArea < elsewhere.MeanDeletionArea - 0.05, $"{evidence.MeanDeletionArea} vs {elsewhere.MeanDeletionArea}");
        Assert.True(evidence.MeanInsertionArea > elsewhere.MeanInsertionArea + 0.05, $"{evidence.MeanInsertionArea} vs {elsewhere.MeanInsertionArea}");
    }

    [Fact]
    public void CompareScoresEveryMethodAndTheRandomBaselineOnTheSameImages()
    {
        using var model = OcclusionSensitivityTests.TopLeftDetector();
        var images = Enumerable.Range(0, 3).SelectMany(_ => OcclusionSensitivityTests.WhiteSquareTopLeft()).ToArray();
        var progress = new List<FaithfulnessProgress>();

        var comparison = Faithfulness.Compare(model, images, new[] { 0, 0, 0 },
            new IAttributionMethod[] { new Occlusion { PatchSize = 4 }, new GradientTimesInput() },
            new FaithfulnessOptions { Steps = 4 }, new Progress(progress));
        var results = comparison.Curves.Append(comparison.Random).ToArray();

        Assert.Equal(new[] { "occlusion", "gradient-x-input", Faithfulness.RandomBaseline }, results.Select(r => r.Method));
        Assert.All(results, r => Assert.Equal(3, r.DeletionAreas.Count));
        Assert.All(results.SelectMany(r => r.DeletionAreas.Concat(r.InsertionAreas)), a => Assert.InRange(a, 0, 1));
        // Occlusion finds the only region that matters: its deletion area beats random's.
        Assert.True(results[0].MeanDeletionArea < results[2].MeanDeletionArea, $"{results[0].MeanDeletionArea} vs random {results[2].MeanDeletionArea}");
        Assert.Equal(new[] { "occlusion", "gradient-x-input" }, comparison.Maps.Select(m => m.Method));
        Assert.Equal(new[] { "occlusion", "gradient-x-input", Faithfulness.RandomBaseline, "done" }, progress.Select(p => p.Stage));
        Assert.Equal(1.0, progress[^1].Fraction);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(1)]
    public void CompareScoresEachImageAndTheBlankCanvasOnceNotOncePerCurve(int steps)
    {
        using var model = OcclusionSensitivityTests.TopLeftDetector();
        var images = Enumerable.Range(0, 3).SelectMany(_ => OcclusionSensitivityTests.WhiteSquareTopLeft()).ToArray();
        var targets = new[] { 0, 0, 0 };
        var options = new FaithfulnessOptions { Steps = steps, Fill = 0.25f };
        var rows = 0;

        var comparison = Faithfulness.CompareScoring(model, (x, n) => { rows += n; return model.PredictProbabilities(x, n); }, images, targets,
            new IAttributionMethod[] { new Occlusion { PatchSize = 4 }, new GradientTimesInput() }, options, null);

        // Each of the 3 curves (two methods and random) per image scores only its 2·(steps − 1) inner points; the
        // image itself and the blank canvas, both ends of every curve, are scored once: 3 images + 1 canvas.
        // Scoring every point per curve would be 3 · 3 · 2·(steps + 1).
        Assert.Equal(3 * 3 * 2 * (steps - 1) + 3 + 1, rows);
        // The curves are the ones Measure gives, which scores every point itself.
        var maps = comparison.Maps.Append(Faithfulness.RandomMaps(3, 16, 16, options.Seed)).ToArray();
        var curves = comparison.Curves.Append(comparison.Random).ToArray();
        for (var m = 0; m < curves.Length; m++)
        {
            var alone = Faithfulness.Measure(model, images, targets, maps[m], options);
            for (var i = 0; i < targets.Length; i++)
            {
                Assert.Equal(alone.Deletion[i], curves[m].Deletion[i]);
                Assert.Equal(alone.Insertion[i], curves[m].Insertion[i]);
            }
        }
    }

    private sealed class Progress(List<FaithfulnessProgress> values) : IProgress<FaithfulnessProgress>
    {
        public void Report(FaithfulnessProgress value) => values.Add(value);
    }
}
