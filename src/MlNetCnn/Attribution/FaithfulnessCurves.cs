namespace MlNetCnn.Attribution;

/// <summary>
/// Deletion and insertion curves of one method's maps on a set of images (Petsiuk, Das &amp; Saenko 2018, "RISE",
/// https://arxiv.org/abs/1806.07421): p(target) as the pixels the map ranks highest are removed (deletion; a faithful
/// map makes it fall fast, small area) or revealed on a blank canvas (insertion; rises fast, large area).
/// </summary>
public sealed class FaithfulnessCurves
{
    internal FaithfulnessCurves(string method, IReadOnlyList<double> fractions, IReadOnlyList<double[]> deletion, IReadOnlyList<double[]> insertion)
    {
        Method = method;
        Fractions = fractions;
        Deletion = deletion;
        Insertion = insertion;
        DeletionAreas = deletion.Select(c => Area(fractions, c)).ToArray();
        InsertionAreas = insertion.Select(c => Area(fractions, c)).ToArray();
    }

    /// <summary>Registry name of the method, or <c>random</c> for the baseline.</summary>
    public string Method { get; }

    /// <summary>Fraction of pixels removed or revealed at each point, 0 to 1.</summary>
    public IReadOnlyList<double> Fractions { get; }

    /// <summary>Per image, p(target) at each fraction removed.</summary>
    public IReadOnlyList<double[]> Deletion { get; }

    /// <summary>Per image, p(target) at each fraction revealed.</summary>
    public IReadOnlyList<double[]> Insertion { get; }

    /// <summary>Per image, the area under the deletion curve (trapezoid rule over [0,1]); lower is more faithful.</summary>
    public IReadOnlyList<double> DeletionAreas { get; }

    /// <summary>Per image, the area under the insertion curve; higher is more faithful.</summary>
    public IReadOnlyList<double> InsertionAreas { get; }

    /// <summary>Mean of <see cref="DeletionAreas"/> over images; lower is more faithful.</summary>
    public double MeanDeletionArea => DeletionAreas.Average();

    /// <summary>Mean of <see cref="InsertionAreas"/> over images; higher is more faithful.</summary>
    public double MeanInsertionArea => InsertionAreas.Average();

    /// <summary>The mean curve over images (for charts).</summary>
    public static double[] MeanCurve(IReadOnlyList<double[]> curves) =>
        Enumerable.Range(0, curves[0].Length).Select(j => curves.Average(c => c[j])).ToArray();

    private static double Area(IReadOnlyList<double> x, double[] y)
    {
        double area = 0;
        for (var i = 1; i < x.Count; i++) area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
        return area;
    }
}
