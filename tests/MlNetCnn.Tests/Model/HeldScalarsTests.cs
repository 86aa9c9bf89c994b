using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Model;

/// <summary>
/// The HeldScalars rule, checked instead of remembered: no temporary libtorch Scalar in the attribution, training and
/// feature-visualization code (a finalizer can free one mid-call: the <c>Scalar::toFloat</c> flake of 4cd7dfe/fcc3c62).
/// </summary>
public class HeldScalarsTests
{
    private static readonly string[] ScannedFolders = { "Attribution", "Training", "FeatureVisualization" };

    [Fact]
    public void AttributionTrainingAndFeatureVisualizationMakeNoTemporaryScalar()
    {
        var library = Path.Combine(Repository.Root, "src", "MlNetCnn");
        var files = SourceCompilation.ProjectFiles(library);
        var scanned = files.Where(f => ScannedFolders.Contains(f.Path.Split(Path.DirectorySeparatorChar)[0])).ToList();
        Assert.True(scanned.Count >= 20, $"only {scanned.Count} files found under {string.Join(", ", ScannedFolders)} in {library}");

        var findings = ImplicitScalarScan.Scan(scanned, files.Except(scanned));

        Assert.True(findings.Count == 0, "Temporary Scalars (hold them: see src/MlNetCnn/Model/HeldScalars.cs):\n" + string.Join("\n", findings));
    }

    // The before-code of 4cd7dfe and fcc3c62, each with the after-code that fixed it.
    public static TheoryData<string, string> HistoricalCases() => new()
    {
        { "var difference = images - Baseline;", "using Scalar baseline = Baseline; var difference = images.sub(baseline);" },
        { "var points = Baseline + alphas * difference.unsqueeze(0);", "using Scalar baseline = Baseline; var points = alphas.mul(difference.unsqueeze(0)).add_(baseline, HeldScalars.One);" },
        { "total.add_(gradients.sum(0, keepdim: false));", "total.add_(gradients.sum(0, keepdim: false), HeldScalars.One);" },
        { "var result = difference * total / Steps;", "using Scalar steps = Steps; var result = difference.mul(total).div_(steps);" },
        { "copies.narrow(1, 0, 2).fill_(Fill);", "using Scalar fill = Fill; copies.narrow(1, 0, 2).fill_(fill);" },
        { "denominator.div_(correction2).add_(epsilon);", "denominator.div_(correction2).add_(epsilon, HeldScalars.One);" },
        { "hitTotal.add_(logits.argmax(1).eq(labels).sum());", "hitTotal.add_(logits.argmax(1).eq(labels).sum(), HeldScalars.One);" },
        { "var m = where(max > 0, maps / max.clamp_min(1e-12), zeros_like(maps));", "using Scalar zero = 0, tiny = 1e-12; var m = where(max.gt(zero), maps / max.clamp_min(tiny), zeros_like(maps));" },
        { "var noisy = image.unsqueeze(0) + (float)sigma * noise;", "using Scalar spread = (float)sigma; var noisy = image.unsqueeze(0).add(noise.mul(spread), HeldScalars.One);" },
        { "sum = sum is null ? part : sum + part;", "sum = sum is null ? part : sum.add(part, HeldScalars.One);" },
    };

    [Theory]
    [MemberData(nameof(HistoricalCases))]
    public void TheScanFlagsEachHistoricalTemporaryAndPassesItsFix(string before, string after)
    {
        Assert.NotEmpty(ImplicitScalarScan.Scan(new[] { Snippet(before) }, Array.Empty<(string, string)>()));
        var fixedFindings = ImplicitScalarScan.Scan(new[] { Snippet(after) }, Array.Empty<(string, string)>());
        Assert.True(fixedFindings.Count == 0, string.Join("\n", fixedFindings));
    }

    [Fact]
    public void SnippetsCompileSoTheScanSeesEverySymbol()
    {
        // A snippet whose names did not resolve would pass the scan unseen: the fixed forms above find nothing only because they resolve.
        Assert.NotEmpty(ImplicitScalarScan.Scan(new[] { Snippet("var half = images * 0.5;") }, Array.Empty<(string, string)>()));
        Assert.NotEmpty(ImplicitScalarScan.Scan(new[] { Snippet("var shifted = 1 - images;") }, Array.Empty<(string, string)>()));
        Assert.NotEmpty(ImplicitScalarScan.Scan(new[] { Snippet("var shifted = images.add_(total);") }, Array.Empty<(string, string)>()));
        // Operators and calls that make no Scalar stay quiet (TorchSharp's sub(Tensor) has no alpha).
        Assert.Empty(ImplicitScalarScan.Scan(new[] { Snippet("var product = images * total - maps;") }, Array.Empty<(string, string)>()));
    }

    private static (string Path, string Text) Snippet(string statements) => ("Snippet.cs", $$"""
        using System.Linq;
        using TorchSharp;
        using static TorchSharp.torch;

        internal static class HeldScalars { public static readonly Scalar One = 1; }

        internal sealed class Snippet
        {
            private float Baseline = 0;
            private int Steps = 32;
            private float Fill = 0;

            private void Run(Tensor images, Tensor alphas, Tensor difference, Tensor total, Tensor gradients, Tensor copies,
                Tensor denominator, Scalar correction2, Scalar epsilon, Tensor hitTotal, Tensor logits, Tensor labels,
                Tensor max, Tensor maps, Tensor image, Tensor noise, double sigma, Tensor part, Tensor? sum)
            {
                {{statements}}
            }
        }
        """);
}
