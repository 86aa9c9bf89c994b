namespace MlNetCnn.Experiments;

/// <summary>One measured number and its <see cref="MeasurementUnit"/>, which decides how it is written.</summary>
public sealed record Measurement(string Name, double Value, MeasurementUnit Unit)
{
    /// <summary>A measurement without a unit (<see cref="MeasurementUnit.None"/>).</summary>
    public Measurement(string name, double value)
        : this(name, value, MeasurementUnit.None)
    {
    }

    /// <summary>How the value is written: never null (a null unit is <see cref="MeasurementUnit.None"/>).</summary>
    public MeasurementUnit Unit { get; init; } = Unit ?? MeasurementUnit.None;
}
