using System.Globalization;

namespace MlNetCnn.Tests;

public class DurationsTests
{
    [Theory]
    [InlineData(12_345, "12.3 s", "12.3")]
    [InlineData(0, "0.0 s", "0.0")]
    [InlineData(61_960, "62.0 s", "62.0")]
    public void WritesSecondsWithOneDecimalWhateverTheCulture(long milliseconds, string described, string seconds)
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            // A decimal comma here must not reach a page or the console.
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var elapsed = TimeSpan.FromMilliseconds(milliseconds);

            Assert.Equal(described, Durations.Describe(elapsed));
            Assert.Equal(seconds, Durations.Seconds(elapsed));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
