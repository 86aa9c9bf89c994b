using System.Globalization;

namespace MlNetCnn.Experiments;

/// <summary>Words and numbers for people: verdict names, measured values and one-line findings (invariant culture).</summary>
internal static class ExperimentText
{
    /// <summary>"Supported", "Not supported" or "Inconclusive".</summary>
    public static string Describe(Verdict verdict) => verdict switch
    {
        Verdict.Supported => "Supported",
        Verdict.NotSupported => "Not supported",
        Verdict.Inconclusive => "Inconclusive",
        _ => verdict.ToString(),
    };

    /// <summary>A value without its unit: whole numbers as such, others to four decimals or in scientific form when tiny; NaN as "n/a".</summary>
    public static string Number(double value)
    {
        if (double.IsNaN(value)) return "n/a";
        if (double.IsInfinity(value)) return value > 0 ? "∞" : "-∞";
        if (value == Math.Round(value) && Math.Abs(value) < 1e15) return value.ToString("0", CultureInfo.InvariantCulture);
        var magnitude = Math.Abs(value);
        var format = magnitude >= 100 ? "F1" : magnitude >= 0.001 ? "0.####" : "0.##E+0";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>A measurement's value with its unit, as <see cref="MeasurementUnit.Format"/> writes it.</summary>
    public static string Value(Measurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        return measurement.Unit.Format(measurement.Value);
    }

    /// <summary>The result's key measurements as "name value" pairs, e.g. "cnn.original.accuracy 47.1%, cnn.permuted.accuracy 38.2%".</summary>
    public static string KeyNumbers(ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return string.Join(", ", result.KeyValues.Select(m => m.Name + " " + Value(m)));
    }
}
