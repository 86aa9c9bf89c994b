namespace MlNetCnn.Tests.TestSupport;

/// <summary>A fact that needs a Unix-like system and is skipped on Windows, saying why (<see cref="OperatingSystemRequirement"/>).</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystemRequirement.UnixSkipReason is { } reason) Skip = reason;
    }
}
