namespace MlNetCnn.Reporting.Plotting;

/// <summary>
/// Plotly renders titles, ticks and hover labels as a small HTML subset. User text is escaped so a
/// label like "&lt;unk&gt;" shows literally and no string can close the chart's script element.
/// </summary>
internal static class PlotlyText
{
    public static string Escape(string? text) =>
        string.IsNullOrEmpty(text)
            ? string.Empty
            : text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>Escapes text for a hovertemplate, where "%{" would otherwise start a placeholder.</summary>
    public static string EscapeTemplate(string? text) => Escape(text).Replace("%{", "%&#123;");
}
