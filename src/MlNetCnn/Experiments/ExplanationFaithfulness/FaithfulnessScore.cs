using MlNetCnn.Attribution;
using static System.FormattableString;

namespace MlNetCnn.Experiments.ExplanationFaithfulness;

/// <summary>
/// One method's deletion and insertion areas against the random baseline on the same images: the paired per-image
/// gains (random − method for deletion, method − random for insertion; positive is better) with standard errors.
/// </summary>
internal sealed record FaithfulnessScore(string Method, double DeletionArea, double InsertionArea,
    double DeletionGain, double DeletionGainError, double InsertionGain, double InsertionGainError)
{
    /// <summary>Beats random when deletion falls faster by more than two standard errors.</summary>
    public bool BeatsRandom => VerdictRule.Beyond(DeletionGain, DeletionGainError);

    public static FaithfulnessScore Against(FaithfulnessCurves method, FaithfulnessCurves random)
    {
        var deletion = random.DeletionAreas.Zip(method.DeletionAreas, (r, m) => r - m).ToArray();
        var insertion = method.InsertionAreas.Zip(random.InsertionAreas, (m, r) => m - r).ToArray();
        return new FaithfulnessScore(method.Method, method.MeanDeletionArea, method.MeanInsertionArea,
            Stats.Mean(deletion), Stats.StandardError(deletion), Stats.Mean(insertion), Stats.StandardError(insertion));
    }

    /// <summary>One sentence on this method's scores, naming it <paramref name="shownName"/> (its display name on pages).</summary>
    public string Describe(string shownName) => Invariant(
        $"{shownName}: deletion {DeletionArea:F3} ({DeletionGain:+0.000;-0.000} ± {DeletionGainError:F3} vs random), insertion {InsertionArea:F3} ({InsertionGain:+0.000;-0.000} ± {InsertionGainError:F3}){(BeatsRandom ? ", beats random" : "")}.");
}
