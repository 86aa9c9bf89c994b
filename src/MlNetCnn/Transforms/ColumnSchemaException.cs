namespace MlNetCnn.Transforms;

/// <summary>
/// An input column is missing or is not what a transform needs. Like ML.NET's own schema errors it derives from
/// <see cref="ArgumentOutOfRangeException"/>; it also names the column and the expected vs actual value.
/// </summary>
public sealed class ColumnSchemaException : ArgumentOutOfRangeException
{
    private readonly string message;

    public ColumnSchemaException(string columnName, string expected, string actual, string? hint = null)
        : base(columnName)
    {
        ColumnName = columnName;
        Expected = expected;
        Actual = actual;
        message = $"Schema mismatch for column '{columnName}': expected {expected}, got {actual}." + (hint is null ? "" : " " + hint);
    }

    public string ColumnName { get; }

    public string Expected { get; }

    public string Actual { get; }

    // ArgumentException would append " (Parameter '...')"; the text already names the column.
    public override string Message => message;
}
