namespace MlNetCnn.Transforms;

/// <summary>A feature value is NaN or infinite; names the column, the row and the slot.</summary>
public sealed class InvalidFeatureValueException : ArgumentException
{
    /// <summary>Creates the exception for the value at 0-based <paramref name="row"/> and <paramref name="slot"/> of <paramref name="columnName"/>.</summary>
    public InvalidFeatureValueException(string columnName, long row, int slot, float value)
        : base(FormattableString.Invariant($"Column '{columnName}' holds {value} at row {row}, slot {slot}; expected finite pixel values (e.g. in [0,1])."))
    {
        ColumnName = columnName;
        Row = row;
        Slot = slot;
    }

    /// <summary>The feature column read.</summary>
    public string ColumnName { get; }

    /// <summary>0-based row of the bad value.</summary>
    public long Row { get; }

    /// <summary>0-based position of the bad value in the row's vector.</summary>
    public int Slot { get; }

    /// <summary>Throws when any value is NaN or infinite.</summary>
    internal static void ThrowIfNotFinite(ReadOnlySpan<float> values, string columnName, long row)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i])) throw new InvalidFeatureValueException(columnName, row, i, values[i]);
        }
    }
}
