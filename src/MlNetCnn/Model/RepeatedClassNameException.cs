namespace MlNetCnn.Model;

/// <summary>
/// A list of class names gives one name twice: two outputs would print the same label, so predictions could not be
/// told apart. The message names the class, its two 0-based positions and where the list came from.
/// </summary>
public sealed class RepeatedClassNameException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="className"/> found at <paramref name="firstIndex"/> and again at <paramref name="secondIndex"/>.</summary>
    /// <param name="className">The repeated name.</param>
    /// <param name="firstIndex">0-based position of its first occurrence.</param>
    /// <param name="secondIndex">0-based position of its second occurrence.</param>
    /// <param name="source">Where the names came from, starting the message (e.g. "The class names given").</param>
    /// <param name="paramName">The argument that held the names, when a caller passed them.</param>
    public RepeatedClassNameException(string className, int firstIndex, int secondIndex, string source, string? paramName = null)
        : base(FormattableString.Invariant(
            $"{source} name class '{className}' twice, at positions {firstIndex} and {secondIndex} (0-based): every class needs its own name."), paramName)
    {
        ClassName = className;
        FirstIndex = firstIndex;
        SecondIndex = secondIndex;
    }

    /// <summary>The name given twice.</summary>
    public string ClassName { get; }

    /// <summary>0-based position of its first occurrence.</summary>
    public int FirstIndex { get; }

    /// <summary>0-based position of its second occurrence.</summary>
    public int SecondIndex { get; }
}
