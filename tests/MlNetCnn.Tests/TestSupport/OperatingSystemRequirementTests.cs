namespace MlNetCnn.Tests.TestSupport;

/// <summary>Tests tied to an operating system are skipped elsewhere, with a reason, instead of passing having checked nothing.</summary>
public class OperatingSystemRequirementTests
{
    [Fact]
    public void LinuxAndUnixFactsRunWhereTheyCanAndOtherwiseSkipSayingWhy()
    {
        Assert.Equal(OperatingSystem.IsLinux(), new LinuxFactAttribute().Skip is null);
        Assert.Equal(!OperatingSystem.IsWindows(), new UnixFactAttribute().Skip is null);
        Assert.Equal(new UnixFactAttribute().Skip, new UnixTheoryAttribute().Skip);
        Assert.All(new[] { OperatingSystemRequirement.LinuxSkipReason, OperatingSystemRequirement.UnixSkipReason },
            reason => Assert.True(reason is null || reason.StartsWith("Needs ", StringComparison.Ordinal), reason));
    }
}
