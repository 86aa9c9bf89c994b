namespace MlNetCnn.Tests.TestSupport;

/// <summary>A theory that needs a Unix-like system; skips exactly as <see cref="UnixFactAttribute"/>.</summary>
public sealed class UnixTheoryAttribute : TheoryAttribute
{
    public UnixTheoryAttribute()
    {
        if (OperatingSystemRequirement.UnixSkipReason is { } reason) Skip = reason;
    }
}
