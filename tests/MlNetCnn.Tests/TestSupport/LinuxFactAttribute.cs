namespace MlNetCnn.Tests.TestSupport;

/// <summary>A fact that runs on Linux only and is skipped elsewhere, saying why (<see cref="OperatingSystemRequirement"/>).</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (OperatingSystemRequirement.LinuxSkipReason is { } reason) Skip = reason;
    }
}
