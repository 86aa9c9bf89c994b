using System.Globalization;

namespace MlNetCnn;

/// <summary>
/// The one way run times are written, by the library's pages and the CLI alike: seconds with one decimal, invariant
/// culture ("12.3 s"), so a page and the console that produced it agree.
/// </summary>
public static class Durations
{
    /// <summary>The run time with its unit, e.g. "12.3 s".</summary>
    public static string Describe(TimeSpan elapsed) => Seconds(elapsed) + " s";

    /// <summary>The run time's number of seconds alone, e.g. "12.3", for a table whose header names the unit.</summary>
    public static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
}
