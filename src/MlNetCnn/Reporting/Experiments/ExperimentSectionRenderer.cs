using MlNetCnn.Experiments;
using MlNetCnn.Experiments.Figures;
using MlNetCnn.Reporting.Blocks;

namespace MlNetCnn.Reporting.Experiments;

/// <summary>
/// Turns an <see cref="ExperimentResult"/> (plain data) into a report section: the hypothesis, the verdict in a
/// coloured box with the explanation generated from the numbers, the run time, a table of every measurement and one
/// block per figure (heatmaps → <see cref="HeatmapGrid"/>, pictures → <see cref="ImageStrip"/>, charts →
/// <see cref="LineChart"/> / <see cref="BarChart"/>, tables → <see cref="Table"/>). A failed run becomes a section
/// that says so and why.
/// </summary>
internal static class ExperimentSectionRenderer
{
    /// <summary>Column headers of the measurement table.</summary>
    public static IReadOnlyList<string> MeasurementColumns { get; } = ["measurement", "value", "unit"];

    /// <summary>The tone a verdict is shown in: supported green, not supported red, inconclusive amber.</summary>
    public static CalloutTone ToneOf(Verdict verdict) => verdict switch
    {
        Verdict.Supported => CalloutTone.Positive,
        Verdict.NotSupported => CalloutTone.Negative,
        _ => CalloutTone.Neutral,
    };

    /// <summary>Adds the section for one experiment run: its result, or a failure notice when it has none.</summary>
    public static PagePart AddTo(ReportDocument report, ExperimentRun run, ExperimentRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(run);
        if (run.Result is { } result) return AddTo(report, result with { Elapsed = result.Elapsed > TimeSpan.Zero ? result.Elapsed : run.Elapsed });

        var experiment = (registry ?? ExperimentRegistry.Default).TryGet(run.Name, out var known) ? known : null;
        var section = report.AddPart(experiment?.Title ?? run.Name, experiment is null ? null : "Hypothesis: " + experiment.Hypothesis);
        var error = run.Error;
        var why = error is null ? "no result and no error were recorded" : $"{error.GetType().Name}: {error.Message}";
        section.Add(new Callout("Failed: no verdict",
            $"The experiment '{run.Name}' stopped after {Durations.Describe(run.Elapsed)} with {why}. It produced no measurements or figures; the other experiments ran regardless.",
            CalloutTone.Error));
        return section;
    }

    /// <summary>Column headers of the per-seed table.</summary>
    public static IReadOnlyList<string> SeedColumns { get; } = ["seed", "verdict", "effect", "time (s)"];

    /// <summary>Column headers of the key-numbers-over-seeds table.</summary>
    public static IReadOnlyList<string> SpreadColumns { get; } = ["measurement", "mean", "sd", "min", "max", "per seed"];

    /// <summary>
    /// Adds the section for one experiment over seeds: the overall verdict and why (by <see cref="VerdictOverSeeds.Rule"/>),
    /// each seed's verdict and effect, the key numbers as mean, sd, min and max with every seed's value drawn beside
    /// the mean, then the first seed's verdict, explanation, measurements and figures.
    /// </summary>
    public static PagePart AddTo(ReportDocument report, ExperimentSeries series, ExperimentRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(series);
        var experiment = (registry ?? ExperimentRegistry.Default).TryGet(series.Name, out var known) ? known : null;
        var first = series.Runs.Select(r => r.Result).FirstOrDefault(r => r != null);
        var hypothesis = first?.Hypothesis ?? experiment?.Hypothesis;
        var section = report.AddPart(first?.Title ?? experiment?.Title ?? series.Name, hypothesis is null ? null : "Hypothesis: " + hypothesis);
        var seeds = series.Runs.Count;
        if (series.Verdict is { } verdict)
        {
            var effect = series.EffectMeasurement;
            section.Add(new Callout($"Overall verdict over {seeds} seeds: {ExperimentText.Describe(verdict.Overall)} ({verdict.Agreeing} of {seeds} agree)",
                verdict.Describe(effect) + (effect is null ? "" : $" The effect is the measurement '{effect}', positive in the direction the hypothesis predicts."),
                ToneOf(verdict.Overall)));
        }
        else
        {
            section.Add(new Callout("Failed: no overall verdict",
                $"{series.Runs.Count(r => !r.Succeeded)} of {seeds} seed(s) failed: " +
                string.Join("; ", series.Runs.Where(r => !r.Succeeded).Select(r => $"seed {r.Seed}: {r.Error?.GetType().Name}: {r.Error?.Message}")),
                CalloutTone.Error));
        }

        section.Add(new Table(SeedColumns, series.Runs.Select(r => (IReadOnlyList<string>)
        [
            r.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            r.Result is { } res ? ExperimentText.Describe(res.Verdict) : "failed",
            r.Result is { } withEffect ? ExperimentText.Number(withEffect.Effect) : "–",
            Durations.Seconds(r.Elapsed),
        ]))
        { Title = $"Each seed's verdict and effect ({series.EffectMeasurement ?? "none named"})" });

        var keys = series.KeyMeasurements;
        if (keys.Count > 0)
        {
            var succeededSeeds = series.Runs.Where(r => r.Succeeded).Select(r => r.Seed).ToArray();
            section.Add(new Table(SpreadColumns, keys.Select(m => (IReadOnlyList<string>)
            [
                m.Name, ExperimentText.Number(m.Mean), ExperimentText.Number(m.StandardDeviation), ExperimentText.Number(m.Min), ExperimentText.Number(m.Max),
                string.Join(", ", m.Values.Select(ExperimentText.Number)),
            ]))
            { Title = "Key numbers over seeds" });
            var chart = new SeedSpreadChart { Title = "Key numbers: each seed's value beside the mean (bar: ± one standard deviation)" };
            foreach (var m in keys.Where(m => m.Values.Count == succeededSeeds.Length)) chart.Add(m.Name, succeededSeeds, m.Values);
            section.Add(chart);
        }

        if (first != null)
        {
            var firstRun = series.Runs.First(r => r.Result != null);
            section.Add(new TextBlock($"Below: seed {firstRun.Seed} in detail (its own verdict, explanation, every measurement and the figures)."));
            foreach (var block in Blocks(first with { Elapsed = first.Elapsed > TimeSpan.Zero ? first.Elapsed : firstRun.Elapsed }, $"Seed {firstRun.Seed} verdict: "))
                section.Add(block);
        }

        return section;
    }

    /// <summary>Adds the section for a result: title, hypothesis, verdict, explanation, run time, measurements, figures.</summary>
    public static PagePart AddTo(ReportDocument report, ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(result);
        var section = report.AddPart(result.Title, "Hypothesis: " + result.Hypothesis);
        foreach (var block in Blocks(result)) section.Add(block);
        return section;
    }

    /// <summary>The blocks of a result's section, in page order.</summary>
    public static IReadOnlyList<ReportBlock> Blocks(ExperimentResult result) => Blocks(result, "Verdict: ");

    private static IReadOnlyList<ReportBlock> Blocks(ExperimentResult result, string verdictPrefix)
    {
        ArgumentNullException.ThrowIfNull(result);
        var blocks = new List<ReportBlock>
        {
            new Callout(verdictPrefix + ExperimentText.Describe(result.Verdict), result.Explanation, ToneOf(result.Verdict)),
            new TextBlock($"Experiment '{result.Name}', run time {Durations.Describe(result.Elapsed)}."),
            MeasurementTable(result),
        };
        foreach (var heatmap in result.Heatmaps)
        {
            if (heatmap.Background is { } background)
                blocks.Add(Strip(heatmap.Title + ": the image under the maps", [background]));
            blocks.Add(Heatmap(heatmap));
        }

        foreach (var images in result.Images) blocks.Add(Strip(images.Title, images.Images));
        foreach (var chart in result.Charts) blocks.Add(Chart(chart));
        foreach (var table in result.Tables) blocks.Add(new Table(table.Columns, table.Rows) { Title = table.Title });
        return blocks;
    }

    /// <summary>Every measurement: name, value, unit.</summary>
    public static Table MeasurementTable(ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new Table(MeasurementColumns, result.Measurements.Select(m => (IReadOnlyList<string>)[m.Name, ExperimentText.Number(m.Value), m.Unit.Name]))
        {
            Title = "Measurements",
        };
    }

    private static HeatmapGrid Heatmap(HeatmapFigure figure) => new(figure.Values, figure.Channels, figure.Height, figure.Width)
    {
        Title = figure.Title,
        ChannelLabels = figure.PanelTitles,
        Diverging = figure.Scale == HeatmapScale.Diverging,
        ValueLabel = figure.Scale == HeatmapScale.Diverging ? "signed value" : "value",
        Columns = Math.Min(6, figure.Channels),
        CellSize = figure.Channels > 12 ? 110 : 150,
    };

    private static ImageStrip Strip(string title, IReadOnlyList<ImagePanel> panels)
    {
        var lines = panels.Count == 0 ? 1 : panels.Max(p => p.Title.Split('\n').Length);
        var side = panels.Count == 0 ? 32 : panels.Max(p => Math.Max(p.Height, p.Width));
        var strip = new ImageStrip { Title = title, CaptionLines = lines, TileSize = Math.Clamp(side * 3, 96, 128) };
        foreach (var panel in panels) strip.Add(Rgb(panel), panel.Height, panel.Width, panel.Title);
        return strip;
    }

    /// <summary>Planar RGB for a panel; a grey (1-channel) panel is repeated into all three planes.</summary>
    private static float[] Rgb(ImagePanel panel)
    {
        if (panel.Channels == 3) return panel.Pixels;
        var plane = panel.Height * panel.Width;
        var rgb = new float[3 * plane];
        for (var c = 0; c < 3; c++) Array.Copy(panel.Pixels, 0, rgb, c * plane, plane);
        return rgb;
    }

    private static ChartBlock Chart(ChartFigure figure)
    {
        if (figure.Kind == ChartKind.Line)
        {
            var line = new LineChart(figure.XLabel) { Title = figure.Title, ShowMarkers = figure.Series.All(s => s.X.Count <= 40) };
            foreach (var series in figure.Series) line.AddSeries(figure.YLabel, series.Name, series.X, series.Y);
            return line;
        }

        // Bars: one category axis, the union of the series' categories in order of first appearance.
        string Label(ChartSeries s, int i) => s.Categories is { } names && i < names.Count ? names[i] : ExperimentText.Number(s.X[i]);
        var categories = figure.Series.SelectMany(s => Enumerable.Range(0, s.X.Count).Select(i => Label(s, i))).Distinct(StringComparer.Ordinal).ToList();
        if (categories.Count == 0) categories.Add("(none)");
        var bar = new BarChart(categories)
        {
            Title = figure.Title,
            XTitle = figure.XLabel,
            YTitle = figure.YLabel,
            ShowValues = categories.Count * Math.Max(1, figure.Series.Count) <= 24,
            ValueFormat = ".3g",
        };
        foreach (var series in figure.Series)
        {
            var values = Enumerable.Repeat(double.NaN, categories.Count).ToArray();
            for (var i = 0; i < series.X.Count; i++) values[categories.IndexOf(Label(series, i))] = series.Y[i];
            bar.AddSeries(series.Name, values);
        }

        return bar;
    }
}
