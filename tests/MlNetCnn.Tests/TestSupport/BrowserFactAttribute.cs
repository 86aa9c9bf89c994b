namespace MlNetCnn.Tests.TestSupport;

/// <summary>
/// A fact that drives headless Chromium: skipped, saying why, where Chromium or chromedriver is absent — unless
/// <c>MLNETCNN_REQUIRE_BROWSER=1</c> (set by .ci/run, which installs them), where it runs and fails instead.
/// See <see cref="BrowserRequirement"/>.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (BrowserRequirement.SkipReason is { } reason) Skip = reason;
    }
}
