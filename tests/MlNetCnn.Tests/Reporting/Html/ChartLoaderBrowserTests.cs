using System.Diagnostics;
using System.Text.RegularExpressions;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Reporting.Html;

/// <summary>
/// Charts are drawn in the background while a reader watches the page; a print, a PDF or a headless capture must have
/// every one of them anyway (<see cref="MlNetCnn.Reporting.Html.ChartLoader"/>).
/// </summary>
public sealed partial class ChartLoaderBrowserTests : IDisposable
{
    private readonly TempDirectory dir = new("mlnetcnn-print");

    [BrowserFact]
    public void PrintingToPdfDrawsEveryChartTheBackgroundLoaderHasNotDrawnYet()
    {
        var (page, charts) = WriteSampleReport();
        using var browser = new HeadlessChromium();
        // A reader who never stops moving the mouse: the background loader waits for a quiet second and draws nothing.
        browser.Driver.ExecuteCdpCommand("Page.addScriptToEvaluateOnNewDocument", new Dictionary<string, object?>
        {
            ["source"] = "setInterval(function () { window.dispatchEvent(new Event('pointermove')); }, 100);",
        });
        browser.Driver.Navigate().GoToUrl(new Uri(page).AbsoluteUri);
        Thread.Sleep(TimeSpan.FromSeconds(3));
        Assert.Equal("complete", browser.Js.ExecuteScript("return document.readyState;"));
        Assert.Equal(0, browser.CountElements(".js-plotly-plot"));

        var printed = Assert.IsType<Dictionary<string, object>>(browser.Driver.ExecuteCdpCommand("Page.printToPDF",
            new Dictionary<string, object?> { ["printBackground"] = true }));
        var pdf = Convert.FromBase64String(Assert.IsType<string>(printed["data"]));

        Assert.Equal("%PDF"u8.ToArray(), pdf[..4]);
        // Drawn for the print: every chart has its plot SVG in the page that was printed.
        Assert.Equal(charts, browser.CountElements(".js-plotly-plot"));
        Assert.Equal(charts, Convert.ToInt32(browser.Js.ExecuteScript(
            "return Array.from(document.querySelectorAll('.js-plotly-plot')).filter(p => p.querySelector('svg.main-svg .plot')).length;")));
        Assert.Equal("true", browser.Js.ExecuteScript("return document.documentElement.getAttribute('data-charts-drawn');"));
        Assert.Empty(browser.PageErrors());
    }

    [BrowserFact]
    public void AHeadlessCaptureWithoutADriverHasEveryChartAtLoad()
    {
        var (page, charts) = WriteSampleReport();
        // `chromium --headless --dump-dom` prints the DOM right after load, as --screenshot and --print-to-pdf capture it.
        var dom = RunChromium("--dump-dom", new Uri(page).AbsoluteUri);
        Assert.Equal(charts, PlotlyPlot().Matches(dom).Count);
        Assert.Contains("data-charts-drawn=\"true\"", dom, StringComparison.Ordinal);

        var pdf = Path.Combine(dir.Path, "report.pdf");
        RunChromium($"--print-to-pdf={pdf}", new Uri(page).AbsoluteUri);
        Assert.Equal("%PDF"u8.ToArray(), File.ReadAllBytes(pdf)[..4]);
    }

    private (string Page, int Charts) WriteSampleReport()
    {
        var (report, charts) = SampleReports.Full();
        var page = Path.Combine(dir.Path, "report.html");
        report.Save(page, overwrite: true);
        return (page, charts);
    }

    private string RunChromium(params string[] args)
    {
        var start = new ProcessStartInfo(BrowserRequirement.Require().Chromium) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage", $"--user-data-dir={Path.Combine(dir.Path, "profile")}" }.Concat(args))
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("chromium did not finish within 2 minutes: " + stderr.Result);
        }
        Assert.True(process.ExitCode == 0, stderr.Result);
        return stdout.Result;
    }

    [GeneratedRegex("class=\"[^\"]*\\bjs-plotly-plot\\b")]
    private static partial Regex PlotlyPlot();

    public void Dispose() => dir.Dispose();
}
