namespace MlNetCnn.Tests.TestSupport;

/// <summary>A theory that drives headless Chromium; skips or fails exactly as <see cref="BrowserFactAttribute"/>.</summary>
public sealed class BrowserTheoryAttribute : TheoryAttribute
{
    public BrowserTheoryAttribute()
    {
        if (BrowserRequirement.SkipReason is { } reason) Skip = reason;
    }
}
