using System.Text.RegularExpressions;
using Plotly.NET;

namespace MlNetCnn.Reporting.Html;

/// <summary>
/// The plotly.js bundle that Plotly.NET ships as an embedded resource. Reading it from the
/// assembly keeps the page offline and guarantees the version matches what Plotly.NET emits for.
/// </summary>
internal static partial class PlotlyScript
{
    private static readonly Lazy<(string Source, string Version)> Bundle = new(Load);

    /// <summary>The minified plotly.js source, safe to place inside an inline script element.</summary>
    public static string Source => Bundle.Value.Source;

    /// <summary>The plotly.js version, e.g. "2.28.0".</summary>
    public static string Version => Bundle.Value.Version;

    private static (string, string) Load()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames()
            .FirstOrDefault(n => ResourceName().IsMatch(n))
            ?? throw new InvalidOperationException(
                $"No plotly-*.min.js resource in {assembly.GetName().Name}; the Plotly.NET package layout changed.");

        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        var source = reader.ReadToEnd();

        // An inline script ends at the first "</script"; the bundle has none today, but stay safe on upgrade.
        source = source.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
        return (source, ResourceName().Match(name).Groups[1].Value);
    }

    [GeneratedRegex(@"plotly-(\d+\.\d+\.\d+)\.min\.js$")]
    private static partial Regex ResourceName();
}
