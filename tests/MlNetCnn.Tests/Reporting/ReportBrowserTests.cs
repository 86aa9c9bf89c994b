using System.Drawing;
using MlNetCnn.Reporting;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace MlNetCnn.Tests.Reporting;

/// <summary>
/// Opens a generated report in headless Chromium and checks what a reader would see: every chart drawn,
/// no script errors. Needs Debian's chromium and chromium-driver; fails (never skips) without them.
/// </summary>
public sealed class ReportBrowserTests
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private const string DriverDirectory = "/usr/bin";
    private const string DriverName = "chromedriver";

    // Collects errors from the first script on; installed before any page script runs.
    private const string ErrorCollector = """
        window.__reportErrors = [];
        window.addEventListener('error', e => window.__reportErrors.push('error: ' + (e.message || e.type) + ' @ ' + (e.filename || '') + ':' + (e.lineno || '')), true);
        window.addEventListener('unhandledrejection', e => window.__reportErrors.push('unhandled rejection: ' + e.reason));
        (function () { const orig = console.error; console.error = function () { window.__reportErrors.push('console.error: ' + Array.from(arguments).join(' ')); return orig.apply(console, arguments); }; })();
        """;

    [Fact]
    public void Generated_report_renders_every_chart_in_headless_chromium()
    {
        if (!File.Exists(ChromiumPath) || !File.Exists(Path.Combine(DriverDirectory, DriverName)))
        {
            Assert.Fail($"{ChromiumPath} or {DriverDirectory}/{DriverName} is missing: run `apt-get install -y chromium chromium-driver`.");
        }

        var outDir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(outDir);
        var htmlPath = Path.Combine(outDir, "report.html");
        var (report, expectedCharts) = SampleReports.Full();
        Assert.Equal(expectedCharts, report.ChartCount);
        report.Save(htmlPath, overwrite: true);

        var profile = Directory.CreateTempSubdirectory("mlnetcnn-chromium-");
        try
        {
            using var driver = StartChromium(profile.FullName);
            driver.ExecuteCdpCommand("Page.addScriptToEvaluateOnNewDocument", new Dictionary<string, object?> { ["source"] = ErrorCollector });
            driver.Navigate().GoToUrl(new Uri(htmlPath).AbsoluteUri);

            // Bounded wait for plotly to draw; the assertions below decide pass or fail.
            var js = (IJavaScriptExecutor)driver;
            try
            {
                new WebDriverWait(driver, TimeSpan.FromSeconds(90)).Until(_ =>
                    js.ExecuteScript("return document.readyState;") as string == "complete"
                    && Convert.ToInt32(js.ExecuteScript("return document.querySelectorAll('.js-plotly-plot svg.main-svg').length;")) >= expectedCharts);
            }
            catch (WebDriverTimeoutException)
            {
                // Fall through: the counts below report what did render.
            }

            var containers = driver.FindElements(By.CssSelector($"div.{ChartBlock.ChartCssClass}"));
            var plots = driver.FindElements(By.CssSelector(".js-plotly-plot"));
            Assert.Equal(expectedCharts, containers.Count);
            Assert.Equal(expectedCharts, plots.Count);
            foreach (var container in containers)
            {
                var kind = container.GetAttribute("data-kind");
                var plot = Assert.Single(container.FindElements(By.CssSelector(".js-plotly-plot")));
                Assert.NotEmpty(plot.FindElements(By.CssSelector("svg.main-svg")));
                Assert.True(plot.Size.Width > 100 && plot.Size.Height > 100, $"{kind} chart is {plot.Size}");
            }

            // Pixels were drawn, not just axes: one raster per heatmap map and per image tile.
            Assert.Equal(6 + 18, CountElements(js, "[data-kind=heatmap-grid] g.hm image"));
            Assert.Equal(6 + 6, CountElements(js, "[data-kind=image-strip] g.im image"));

            // Hovering the first activation map shows channel, position and value.
            var dragLayer = driver.FindElement(By.CssSelector("[data-kind=heatmap-grid] .nsewdrag"));
            new OpenQA.Selenium.Interactions.Actions(driver).MoveToElement(dragLayer).Perform();
            var hover = WaitForText(driver, js, "return Array.from(document.querySelectorAll('.hoverlayer .hovertext')).map(e => e.textContent).join(' | ');");
            Assert.Contains("ch 0", hover, StringComparison.Ordinal);
            Assert.Contains("row ", hover, StringComparison.Ordinal);
            Assert.Contains("activation: ", hover, StringComparison.Ordinal);
            new OpenQA.Selenium.Interactions.Actions(driver).MoveToElement(driver.FindElement(By.TagName("h1"))).Perform(); // clear the hover before the screenshot

            var pageErrors = (js.ExecuteScript("return window.__reportErrors || [];") as IEnumerable<object> ?? []).Select(e => $"{e}").ToList();
            var severe = driver.Manage().Logs.GetLog(LogType.Browser)
                .Where(e => e.Level == LogLevel.Severe)
                .Select(e => e.Message)
                .ToList();
            Assert.True(pageErrors.Count == 0, "page errors:\n" + string.Join("\n", pageErrors));
            Assert.True(severe.Count == 0, "SEVERE browser log entries:\n" + string.Join("\n", severe));

            SaveFullPageScreenshot(driver, js, Path.Combine(outDir, "report.png"));
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    private static ChromeDriver StartChromium(string profileDir)
    {
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1400,1000", $"--user-data-dir={profileDir}");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);

        // An explicit driver path keeps Selenium Manager from trying to download one.
        var service = ChromeDriverService.CreateDefaultService(DriverDirectory, DriverName);
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(120));
    }

    private static string WaitForText(IWebDriver driver, IJavaScriptExecutor js, string script)
    {
        try
        {
            return new WebDriverWait(driver, TimeSpan.FromSeconds(10)).Until(_ => js.ExecuteScript(script) is string { Length: > 0 } t ? t : null);
        }
        catch (WebDriverTimeoutException)
        {
            return string.Empty;
        }
    }

    private static int CountElements(IJavaScriptExecutor js, string selector) =>
        Convert.ToInt32(js.ExecuteScript("return document.querySelectorAll(arguments[0]).length;", selector));

    private static void SaveFullPageScreenshot(ChromeDriver driver, IJavaScriptExecutor js, string path)
    {
        var height = Convert.ToInt32(js.ExecuteScript("return Math.ceil(document.documentElement.scrollHeight);"));
        driver.Manage().Window.Size = new Size(1400, Math.Clamp(height + 40, 600, 12000));
        driver.GetScreenshot().SaveAsFile(path);
        Assert.True(new FileInfo(path).Length > 10_000, "screenshot is suspiciously small");
    }
}
