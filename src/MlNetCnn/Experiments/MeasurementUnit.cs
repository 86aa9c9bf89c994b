using System.Globalization;

namespace MlNetCnn.Experiments;

/// <summary>
/// What a <see cref="Measurement"/> counts, from a closed set, and how its values are written: accuracies and
/// fractions as percentages ("47.1%"), dimensionless scores bare ("0.8312"), counts with their unit ("12 px").
/// <see cref="Name"/> is the word the report's measurement table shows.
/// </summary>
public sealed class MeasurementUnit
{
    private readonly Style style;

    private MeasurementUnit(string name, Style style)
    {
        Name = name;
        this.style = style;
    }

    private enum Style
    {
        // The number alone: a score whose unit is the measurement's name (p-value, probability, cosine, …).
        Bare,

        // A fraction written as a percentage with one decimal.
        Percent,

        // The number followed by the unit's name.
        Suffixed,
    }

    /// <summary>No unit: the number alone.</summary>
    public static MeasurementUnit None { get; } = new("", Style.Bare);

    /// <summary>A classification accuracy in [0, 1], written as a percentage.</summary>
    public static MeasurementUnit Accuracy { get; } = new("accuracy", Style.Percent);

    /// <summary>A fraction in [0, 1], written as a percentage.</summary>
    public static MeasurementUnit Fraction { get; } = new("fraction", Style.Percent);

    /// <summary>A p-value, written bare.</summary>
    public static MeasurementUnit PValue { get; } = new("p", Style.Bare);

    /// <summary>A dimensionless index (e.g. class selectivity), written bare.</summary>
    public static MeasurementUnit Index { get; } = new("index", Style.Bare);

    /// <summary>A ratio to a reference (e.g. a relative error), written bare.</summary>
    public static MeasurementUnit Relative { get; } = new("relative", Style.Bare);

    /// <summary>A probability (or a difference of probabilities), written bare.</summary>
    public static MeasurementUnit Probability { get; } = new("probability", Style.Bare);

    /// <summary>A cosine similarity, written bare.</summary>
    public static MeasurementUnit Cosine { get; } = new("cosine", Style.Bare);

    /// <summary>A network activation, written bare.</summary>
    public static MeasurementUnit Activation { get; } = new("activation", Style.Bare);

    /// <summary>A Spearman rank correlation, written with "rho".</summary>
    public static MeasurementUnit Rho { get; } = new("rho", Style.Suffixed);

    /// <summary>A (Pearson) correlation, written with "correlation".</summary>
    public static MeasurementUnit Correlation { get; } = new("correlation", Style.Suffixed);

    /// <summary>A length in input pixels, written with "px".</summary>
    public static MeasurementUnit Pixels { get; } = new("px", Style.Suffixed);

    /// <summary>A number of images.</summary>
    public static MeasurementUnit Images { get; } = new("images", Style.Suffixed);

    /// <summary>A number of channels.</summary>
    public static MeasurementUnit Channels { get; } = new("channels", Style.Suffixed);

    /// <summary>A number of trainable parameters.</summary>
    public static MeasurementUnit Parameters { get; } = new("parameters", Style.Suffixed);

    /// <summary>A number of hidden units of a fully-connected layer, written with "units".</summary>
    public static MeasurementUnit HiddenUnits { get; } = new("units", Style.Suffixed);

    /// <summary>An angle in degrees.</summary>
    public static MeasurementUnit Degrees { get; } = new("degrees", Style.Suffixed);

    /// <summary>A number of input features.</summary>
    public static MeasurementUnit Features { get; } = new("features", Style.Suffixed);

    /// <summary>A number of attribution methods.</summary>
    public static MeasurementUnit Methods { get; } = new("methods", Style.Suffixed);

    /// <summary>A number of orientations.</summary>
    public static MeasurementUnit Orientations { get; } = new("orientations", Style.Suffixed);

    /// <summary>The unit's word as the measurement table shows it ("accuracy", "px", "" for none).</summary>
    public string Name { get; }

    /// <summary>
    /// <paramref name="value"/> with this unit (invariant culture): "47.1%" for accuracies and fractions, "12 px" for
    /// counts, the number alone for scores; NaN as "n/a".
    /// </summary>
    public string Format(double value) => double.IsFinite(value) ? FormatNumber(value) + Suffix : ExperimentText.Number(value);

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>The number without the unit's sign or word: a percentage's number for percent units ("47.1").</summary>
    internal string FormatNumber(double value) =>
        style == Style.Percent && double.IsFinite(value)
            ? (100 * value).ToString("F1", CultureInfo.InvariantCulture)
            : ExperimentText.Number(value);

    /// <summary>What follows the number: "%", " px", or nothing.</summary>
    internal string Suffix => style switch
    {
        Style.Percent => "%",
        Style.Suffixed => " " + Name,
        _ => "",
    };
}
