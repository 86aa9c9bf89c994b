using System.Globalization;

namespace MlNetCnn.Reporting.CnnReport;

/// <summary>Invariant number formatting for generated explanations, so the text reads the same on every machine.</summary>
internal static class ReportText
{
    /// <summary><paramref name="value"/> with <paramref name="decimals"/> fixed decimals; "n/a" when not finite; never "-0.000".</summary>
    public static string Fixed(double value, int decimals = 3)
    {
        if (!double.IsFinite(value)) return "n/a";
        var rounded = Math.Round(value, decimals);
        return (rounded == 0 ? 0.0 : rounded).ToString("F" + decimals, CultureInfo.InvariantCulture); // no "-0.000"
    }

    /// <summary><paramref name="fraction"/> as a percentage with <paramref name="decimals"/> decimals, e.g. "12.5%"; "n/a" when not finite.</summary>
    public static string Percent(double fraction, int decimals = 1) =>
        double.IsFinite(fraction) ? (fraction * 100).ToString("F" + decimals, CultureInfo.InvariantCulture) + "%" : "n/a";

    public static string Int(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Shape(params int[] dims) => string.Join("×", dims.Select(d => d.ToString(CultureInfo.InvariantCulture)));

    /// <summary>"a", "a and b", "a, b and c".</summary>
    public static string List(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count switch
        {
            0 => "none",
            1 => list[0],
            _ => string.Join(", ", list.Take(list.Count - 1)) + " and " + list[^1],
        };
    }

    /// <summary>"a cat", "an airplane".</summary>
    public static string A(string noun) => (noun.Length > 0 && "aeiouAEIOU".Contains(noun[0]) ? "an " : "a ") + noun;

    public static string Plural(long count, string singular, string? plural = null) =>
        $"{Int(count)} {(count == 1 ? singular : plural ?? singular + "s")}";
}
