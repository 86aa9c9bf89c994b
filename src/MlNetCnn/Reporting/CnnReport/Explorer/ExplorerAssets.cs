namespace MlNetCnn.Reporting.CnnReport.Explorer;

/// <summary>The explorer's own script and stylesheet (plain JavaScript and CSS, no library), embedded in this assembly.</summary>
internal static class ExplorerAssets
{
    private static readonly Lazy<string> ScriptSource = new(() => Read("MlNetCnn.Explorer.explorer.js"));
    private static readonly Lazy<string> StyleSource = new(() => Read("MlNetCnn.Explorer.explorer.css"));

    /// <summary>The page script, safe to place inside an inline script element.</summary>
    public static string Script => ScriptSource.Value;

    /// <summary>The stylesheet.</summary>
    public static string Style => StyleSource.Value;

    private static string Read(string name)
    {
        using var stream = typeof(ExplorerAssets).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The resource '{name}' is missing from {typeof(ExplorerAssets).Assembly.GetName().Name}; check MlNetCnn.csproj's EmbeddedResource items.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    }
}
