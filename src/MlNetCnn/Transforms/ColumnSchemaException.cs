namespace MlNetCnn.Transforms;

/// <summary>
/// An input column is missing or is not what a transform needs. Like ML.NET's own schema errors it derives from
/// <see cref="ArgumentOutOfRangeException"/>; it also names the column and the expected vs actual value.
/// </summary>
public sealed class ColumnSchemaException : ArgumentOutOfRangeException
{
    private readonly string message;

    /// <summary>Creates the exception for <paramref name="columnName"/>, naming the expected and actual types and an optional hint.</summary>
    public ColumnSchemaException(string columnName, string expected, string actual, string? hint = null)
        : base(columnName)
    {
        ColumnName = columnName;
        Expected = expected;
        Actual = actual;
        message = $"Schema mismatch for column '{columnName}': expected {expected}, got {actual}." + (hint is null ? "" : " " + hint);
    }

    /// <summary>The column at fault.</summary>
    public string ColumnName { get; }

    /// <summary>The type the column should have.</summary>
    public string Expected { get; }

    /// <summary>The type it has (or that it is missing).</summary>
    public string Actual { get; }

    // ArgumentException would append " (Parameter '...')"; the text already names the column.
    /// <inheritdoc />
    public override string Message => message;
}
