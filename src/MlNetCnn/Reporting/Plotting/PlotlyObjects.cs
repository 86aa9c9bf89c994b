using Plotly.NET;

namespace MlNetCnn.Reporting.Plotting;

/// <summary>
/// Sets plotly.js attributes that the typed Plotly.NET.CSharp API does not expose
/// (coloraxis, hovertemplate, scaleanchor, texttemplate...). Plotly.NET objects are
/// DynamicObj instances, so extra attributes serialise alongside the typed ones.
/// </summary>
internal static class PlotlyObjects
{
    /// <summary>Builds a plain plotly object from name/value pairs.</summary>
    public static DynamicObj.DynamicObj Obj(params (string Name, object? Value)[] properties)
    {
        var obj = new DynamicObj.DynamicObj();
        Set(obj, properties);
        return obj;
    }

    public static void Set(DynamicObj.DynamicObj target, params (string Name, object? Value)[] properties)
    {
        foreach (var (name, value) in properties)
        {
            if (value is not null)
            {
                target.SetProperty(name, value);
            }
        }
    }

    /// <summary>The layout axis object named e.g. "xaxis2", created when the chart has none yet.</summary>
    public static DynamicObj.DynamicObj Axis(Layout layout, string name)
    {
        var existing = layout.TryGetPropertyValue(name);
        if (existing is not null && existing.Value is DynamicObj.DynamicObj axis)
        {
            return axis;
        }

        var created = new DynamicObj.DynamicObj();
        layout.SetProperty(name, created);
        return created;
    }

    /// <summary>Plotly axis layout name for subplot index (0-based): "xaxis", "xaxis2", ...</summary>
    public static string AxisName(char axis, int index) => index == 0 ? $"{axis}axis" : $"{axis}axis{index + 1}";

    /// <summary>Plotly axis reference for subplot index (0-based): "x", "x2", ...</summary>
    public static string AxisRef(char axis, int index) => index == 0 ? $"{axis}" : $"{axis}{index + 1}";

    /// <summary>Non-finite numbers become null: plotly shows a gap, and JSON has no NaN.</summary>
    public static double? Finite(double value) => double.IsFinite(value) ? value : null;

    /// <summary>
    /// Applies the page's common look and sizing to a finished figure. <c>modeBar</c> (zoom/pan/download
    /// toolbar) is turned off for grids, where it would cover subplot titles.
    /// </summary>
    public static GenericChart Finish(GenericChart chart, int? width, int height, (int L, int R, int T, int B) margin, bool showLegend, bool modeBar = true)
    {
        var layout = GenericChart.getLayout(chart);
        Set(
            layout,
            ("width", width),
            ("height", height),
            ("autosize", width is null),
            ("showlegend", showLegend),
            ("margin", Obj(("l", margin.L), ("r", margin.R), ("t", margin.T), ("b", margin.B))),
            ("font", Obj(("family", "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"), ("size", 12), ("color", "#24292f"))),
            ("paper_bgcolor", "#ffffff"),
            ("plot_bgcolor", "#ffffff"),
            ("hoverlabel", Obj(("align", "left"))));
        chart = GenericChart.setLayout(layout, chart);

        var config = new Config();
        Set(config, ("responsive", true), ("displaylogo", false), ("displayModeBar", modeBar ? "hover" : (object)false));
        return GenericChart.setConfig(config, chart);
    }
}
