namespace MlNetCnn.Transforms.Scoring;

/// <summary>
/// How many rows a batch may hold: a batch's buffers are float arrays of batch × values per row, so a batch size past
/// what an array can hold gave OverflowException or IndexOutOfRangeException deep inside scoring. Checked where a batch
/// size comes in (options, model files), naming it.
/// </summary>
internal static class BatchLimit
{
    /// <summary>Largest batch size accepted anywhere (far beyond what is useful: a batch of CIFAR images this size is 12 GB).</summary>
    public const int Largest = 1 << 20;

    /// <summary>
    /// Throws <see cref="ArgumentOutOfRangeException"/> naming <paramref name="name"/> unless 1 ≤ <paramref name="batchSize"/>
    /// ≤ <see cref="Largest"/> and batch × <paramref name="valuesPerRow"/> fits one array.
    /// </summary>
    public static void Check(int batchSize, long valuesPerRow, string name)
    {
        if (batchSize < 1 || batchSize > Largest)
            throw new ArgumentOutOfRangeException(name, batchSize, $"{name} must be 1 to {Largest:N0}, got {batchSize}.");
        if ((long)batchSize * valuesPerRow > Array.MaxLength)
            throw new ArgumentOutOfRangeException(name, batchSize,
                $"{name} {batchSize} × {valuesPerRow:N0} values per row does not fit one array ({Array.MaxLength:N0} values): use at most {Array.MaxLength / Math.Max(1, valuesPerRow):N0}.");
    }
}
