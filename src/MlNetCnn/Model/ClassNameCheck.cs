namespace MlNetCnn.Model;

/// <summary>
/// The check every place that takes class names from outside runs (a CIFAR-10 meta file, a caller's list, a model
/// file): a name given twice would make two outputs print the same label, so predictions could not be told apart.
/// </summary>
internal static class ClassNameCheck
{
    /// <summary>Throws <see cref="InvalidDataException"/> naming <paramref name="source"/> and each repeated name with its count.</summary>
    public static void ThrowIfRepeated(IReadOnlyList<string> names, string source)
    {
        if (Repeated(names) is { } repeated)
            throw new InvalidDataException($"{source} names a class more than once ({repeated}): every class needs its own name.");
    }

    /// <summary>
    /// Throws <see cref="RepeatedClassNameException"/> for the first name that repeats (by its second occurrence), naming
    /// both positions. <paramref name="source"/> starts the message ("The class names given").
    /// </summary>
    public static void ThrowIfRepeatedArgument(IReadOnlyList<string> names, string source, string? paramName)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
            if (!first.TryAdd(names[i], i))
                throw new RepeatedClassNameException(names[i], first[names[i]], i, source, paramName);
    }

    /// <summary>"'cat' ×2, 'dog' ×3" for the names that repeat (ordinal comparison), or null when all differ.</summary>
    public static string? Repeated(IReadOnlyList<string> names)
    {
        var repeated = names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"'{g.Key}' ×{g.Count()}").ToArray();
        return repeated.Length == 0 ? null : string.Join(", ", repeated);
    }
}
