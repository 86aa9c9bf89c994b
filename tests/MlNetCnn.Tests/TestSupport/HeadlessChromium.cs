using System.Drawing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace MlNetCnn.Tests.TestSupport;

/// <summary>
/// Headless Chromium (Debian's chromium + chromium-driver) for report tests: a throw-away profile, page errors
/// collected from the first script on, bounded waits, full-page screenshots. Tests that use it are
/// <see cref="BrowserFactAttribute"/>s, which skip when the browser is absent; constructed anyway (with
/// <c>MLNETCNN_REQUIRE_BROWSER=1</c>), it fails the test saying what is missing.
/// </summary>
internal sealed class HeadlessChromium : IDisposable
{
    // Collects errors from the first script on; installed before any page script runs.
    private const string ErrorCollector = """
        window.__reportErrors = [];
        window.addEventListener('error', e => window.__reportErrors.push('error: ' + (e.message || e.type) + ' @ ' + (e.filename || '') + ':' + (e.lineno || '')), true);
        window.addEventListener('unhandledrejection', e => window.__reportErrors.push('unhandled rejection: ' + e.reason));
        (function () { const orig = console.error; console.error = function () { window.__reportErrors.push('console.error: ' + Array.from(arguments).join(' ')); return orig.apply(console, arguments); }; })();
        """;

    private readonly DirectoryInfo profile;

    public HeadlessChromium()
    {
        var (chromium, driver) = BrowserRequirement.Require();
        profile = Directory.CreateTempSubdirectory("mlnetcnn-chromium-");
        try
        {
            Driver = Start(chromium, driver, profile.FullName);
            Driver.ExecuteCdpCommand("Page.addScriptToEvaluateOnNewDocument", new Dictionary<string, object?> { ["source"] = ErrorCollector });
        }
        catch
        {
            profile.Delete(recursive: true);
            throw;
        }
    }

    public ChromeDriver Driver { get; }

    public IJavaScriptExecutor Js => Driver;

    /// <summary>Opens a local report page and waits (bounded) until it is loaded, its background chart loader is done and at least <paramref name="expectedCharts"/> plotly charts have an SVG.</summary>
    public void Open(string htmlPath, int expectedCharts, TimeSpan timeout)
    {
        Driver.Navigate().GoToUrl(new Uri(htmlPath).AbsoluteUri);
        try
        {
            new WebDriverWait(Driver, timeout).Until(_ =>
                Js.ExecuteScript("return document.readyState;") as string == "complete"
                // Report pages draw their charts in the background after loading and then set data-charts-drawn.
                && Js.ExecuteScript("return document.documentElement.getAttribute('data-charts-drawn');") as string == "true"
                && CountElements(".js-plotly-plot svg.main-svg") >= expectedCharts);
        }
        catch (WebDriverTimeoutException)
        {
            // Fall through: the caller's assertions report what did render.
        }
    }

    public int CountElements(string selector) =>
        Convert.ToInt32(Js.ExecuteScript("return document.querySelectorAll(arguments[0]).length;", selector));

    /// <summary>Runs <paramref name="script"/> until it returns non-empty text (at most 10 s); empty when it never does.</summary>
    public string WaitForText(string script)
    {
        try
        {
            return new WebDriverWait(Driver, TimeSpan.FromSeconds(10)).Until(_ => Js.ExecuteScript(script) is string { Length: > 0 } t ? t : null);
        }
        catch (WebDriverTimeoutException)
        {
            return string.Empty;
        }
    }

    /// <summary>Errors the page reported (script errors, unhandled rejections, console.error).</summary>
    public IReadOnlyList<string> PageErrors() =>
        [.. (Js.ExecuteScript("return window.__reportErrors || [];") as IEnumerable<object> ?? []).Select(e => $"{e}")];

    /// <summary>SEVERE entries of the browser log.</summary>
    public IReadOnlyList<string> SevereLogEntries() =>
        [.. Driver.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level == LogLevel.Severe).Select(e => e.Message)];

    /// <summary>Resizes the window to the page height (capped) and saves a screenshot.</summary>
    public void SaveFullPageScreenshot(string path, int maxHeight = 12000)
    {
        var height = Convert.ToInt32(Js.ExecuteScript("return Math.ceil(document.documentElement.scrollHeight);"));
        Driver.Manage().Window.Size = new Size(1400, Math.Clamp(height + 40, 600, maxHeight));
        Driver.GetScreenshot().SaveAsFile(path);
        Assert.True(new FileInfo(path).Length > 10_000, "screenshot is suspiciously small");
    }

    /// <summary>
    /// Saves the whole page as PNGs of at most <paramref name="partHeight"/> pixels each (<c>prefix-1.png</c>, …):
    /// a single capture is limited to ~16k pixels, which long reports exceed.
    /// </summary>
    public IReadOnlyList<string> SaveFullPageScreenshots(string pathPrefix, int partHeight = 6000)
    {
        var width = Convert.ToInt32(Js.ExecuteScript("return Math.ceil(document.documentElement.scrollWidth);"));
        var height = Convert.ToInt32(Js.ExecuteScript("return Math.ceil(document.documentElement.scrollHeight);"));
        var paths = new List<string>();
        for (var y = 0; y < height; y += partHeight)
        {
            var clip = new Dictionary<string, object?> { ["x"] = 0, ["y"] = y, ["width"] = width, ["height"] = Math.Min(partHeight, height - y), ["scale"] = 1 };
            var result = Assert.IsType<Dictionary<string, object>>(Driver.ExecuteCdpCommand("Page.captureScreenshot",
                new Dictionary<string, object?> { ["format"] = "png", ["captureBeyondViewport"] = true, ["clip"] = clip }));
            var path = $"{pathPrefix}-{paths.Count + 1}.png";
            File.WriteAllBytes(path, Convert.FromBase64String(Assert.IsType<string>(result["data"])));
            Assert.True(new FileInfo(path).Length > 10_000, $"screenshot {path} is suspiciously small");
            paths.Add(path);
        }

        return paths;
    }

    public void Dispose()
    {
        try
        {
            Driver.Dispose();
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    private static ChromeDriver Start(string chromium, string driver, string profileDir)
    {
        var options = new ChromeOptions { BinaryLocation = chromium };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1400,1000", $"--user-data-dir={profileDir}");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);

        // An explicit driver path keeps Selenium Manager from trying to download one.
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Path.GetFullPath(driver))!, Path.GetFileName(driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(120));
    }
}
