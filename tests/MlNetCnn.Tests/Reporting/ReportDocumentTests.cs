using System.Text.RegularExpressions;
using MlNetCnn.Reporting;
using MlNetCnn.Reporting.Blocks;

namespace MlNetCnn.Tests.Reporting;

public sealed class ReportDocumentTests
{
    private static readonly Lazy<(ReportDocument Report, int Charts, string Html)> Sample = new(() =>
    {
        var (report, charts) = SampleReports.Full();
        return (report, charts, report.ToHtml());
    });

    private static string Body(string html) => html[html.IndexOf("</head>", StringComparison.Ordinal)..];

    [Fact]
    public void PageEmbedsPlotlyJsExactlyOnce()
    {
        var html = Sample.Value.Html;
        Assert.Single(Regex.Matches(html, @"\* plotly\.js v\d+\.\d+\.\d+"));
        Assert.Single(Regex.Matches(html, "data-plotly-version="));

        // The bundle defines Plotly once; a second copy would repeat its module registry.
        var marker = "plotly.js v";
        Assert.Equal(html.IndexOf(marker, StringComparison.Ordinal), html.LastIndexOf(marker, StringComparison.Ordinal));
    }

    [Fact]
    public void PageLoadsNoExternalScriptOrStylesheet()
    {
        var html = Sample.Value.Html;
        Assert.Empty(Regex.Matches(html, @"<script[^>]*\bsrc\s*=", RegexOptions.IgnoreCase));
        Assert.Empty(Regex.Matches(html, @"<link[^>]*\bhref\s*=\s*[""']?https?:", RegexOptions.IgnoreCase));
        Assert.DoesNotContain("requirejs", Body(html), StringComparison.Ordinal);
    }

    [Fact]
    public void ChartCountMatchesChartContainersAndNewPlotCalls()
    {
        var (report, expected, html) = Sample.Value;
        var body = Body(html);
        Assert.Equal(expected, report.ChartCount);
        Assert.Equal(expected, Regex.Matches(body, $"class=\"{ChartBlock.ChartCssClass}\"").Count);
        Assert.Equal(expected, Regex.Matches(body, @"Plotly\.newPlot\(").Count);
    }

    [Fact]
    public void TableOfContentsLinksToEverySection()
    {
        var (report, _, html) = Sample.Value;
        foreach (var section in report.Parts)
        {
            Assert.Contains($"<a href=\"#{section.Id}\">", html, StringComparison.Ordinal);
            Assert.Contains($"<section id=\"{section.Id}\">", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ExplanationTextIsEscapedAndFormattedAsParagraphsAndBullets()
    {
        var report = new ReportDocument("T <1>");
        report.AddPart("A & B", "First <script>alert('x')</script> & more\nsame paragraph.\n\nSecond.\n- one <b>\n- two");
        var body = Body(report.ToHtml());

        Assert.DoesNotContain("<script>alert", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", body, StringComparison.Ordinal);
        Assert.Contains("<p>First &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more same paragraph.</p>", body, StringComparison.Ordinal);
        Assert.Contains("<p>Second.</p>", body, StringComparison.Ordinal);
        Assert.Contains("<ul><li>one &lt;b&gt;</li><li>two</li></ul>", body, StringComparison.Ordinal);
        Assert.Contains("<h1>T &lt;1&gt;</h1>", body, StringComparison.Ordinal);
        Assert.Contains("A &amp; B", body, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelsInsideChartsCannotInjectMarkupOrCloseTheScript()
    {
        var names = new[] { "</script><b>x", "cat" };
        var report = new ReportDocument("t");
        report.AddPart("s").Add(new ConfusionMatrix(new[,] { { 1, 2 }, { 3, 4 } }, names));
        var body = Body(report.ToHtml());

        Assert.DoesNotContain("</script><b>", body, StringComparison.Ordinal);
        Assert.Contains("&lt;/script&gt;&lt;b&gt;x", body, StringComparison.Ordinal);
    }

    [Fact]
    public void TableCellsAreEscapedAndNumbersRightAligned()
    {
        var report = new ReportDocument("t");
        report.AddPart("s").Add(new Table(["name", "value"]).AddRow("<i>", "1.5"));
        var body = Body(report.ToHtml());

        Assert.Contains("<td>&lt;i&gt;</td><td class=\"num\">1.5</td>", body, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyChartBlocksCountNoChartAndShowANote()
    {
        var report = new ReportDocument("t");
        report.AddPart("s").Add(new ImageStrip()).Add(new LineChart());
        var body = Body(report.ToHtml());

        Assert.Equal(0, report.ChartCount);
        Assert.DoesNotContain("Plotly.newPlot(", body, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Matches(body, "mlnetcnn-empty").Count);
    }

    [Fact]
    public void ProgressRisesMonotonicallyToOne()
    {
        var (report, _) = SampleReports.Full();
        var seen = new List<double>();
        report.ToHtml(new SynchronousProgress<double>(seen.Add));

        Assert.Equal(0, seen[0]);
        Assert.Equal(1, seen[^1]);
        Assert.True(seen.Count >= report.Parts.Sum(s => s.Blocks.Count), "one report per block");
        Assert.Equal(seen.OrderBy(p => p), seen);
    }
}
