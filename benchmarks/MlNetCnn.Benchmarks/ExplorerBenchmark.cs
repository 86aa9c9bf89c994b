using System.Globalization;
using MlNetCnn.Reporting.CnnReport;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Interactions;
using OpenQA.Selenium.Support.UI;

namespace MlNetCnn.Benchmarks;

/// <summary>
/// The report's network explorer: HTML size and time to interactive in headless Chromium (Debian's chromium +
/// chromium-driver), for the default report (8 images, the 2-layer model trained 1 epoch on the CIFAR subset) and for a
/// 3-layer model on 64×64 colour images (random weights and images: size and speed do not depend on them). Time to
/// interactive = from navigation start until the panel has answered a real pointer click on a conv2 unit, the click
/// sent as soon as the explorer reports ready. Targets: &lt; 8 MB and &lt; 3 s (default), &lt; 15 MB (3-layer 64×64).
/// </summary>
internal static class ExplorerBenchmark
{
    private const int Runs = 3;

    public static void Run(BenchmarkData data)
    {
        Console.WriteLine();
        var directory = Directory.CreateTempSubdirectory("mlnetcnn-explorer-bench-");
        try
        {
            using var model = data.TrainModel(threads: 1);
            var defaultPage = Path.Combine(directory.FullName, "default.html");
            CnnReportGenerator.Write(defaultPage, data.MlContext, model, data.Test, new CnnReportOptions { ImageCount = 8 }, overwrite: true);

            var deepPage = Path.Combine(directory.FullName, "deep64.html");
            DeepColourReport.Write(deepPage, rows: 200, new CnnReportOptions { ImageCount = 8 });

            Console.WriteLine("| page | run | HTML MB | explorer ready ms | first click answered ms (time to interactive) | click to answer ms | all charts drawn ms | longest task after ready ms |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            foreach (var (name, path) in new[] { ("default (8 images, 2 conv layers, CIFAR)", defaultPage), ("3 conv layers, 64×64 colour", deepPage) })
            {
                var mb = new FileInfo(path).Length / 1e6;
                for (var run = 1; run <= Runs; run++)
                {
                    var (ready, click, waited, charts, longest) = Measure(path);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {run} | {mb:F2} | {ready:F0} | {click:F0} | {waited:F0} | {charts:F0} | {longest:F0} |"));
                }
            }

            Console.WriteLine("(each run a fresh headless Chromium profile; targets: default < 8 MB and < 3,000 ms to interactive, 3-layer 64×64 < 15 MB)");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static (double Ready, double Click, double Waited, double Charts, double Longest) Measure(string path)
    {
        var profile = Directory.CreateTempSubdirectory("mlnetcnn-chromium-");
        try
        {
            using var driver = StartChromium(profile.FullName);
            var js = (IJavaScriptExecutor)driver;
            // Long tasks (> 50 ms) from the first script on: while one runs, a click waits.
            driver.ExecuteCdpCommand("Page.addScriptToEvaluateOnNewDocument", new Dictionary<string, object?>
            {
                ["source"] = "window.__longTasks = []; new PerformanceObserver(l => l.getEntries().forEach(e => window.__longTasks.push([e.startTime, e.duration]))).observe({ type: 'longtask', buffered: true });",
            });
            driver.Navigate().GoToUrl(new Uri(path).AbsoluteUri);
            var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(60)) { PollingInterval = TimeSpan.FromMilliseconds(20) };
            wait.Until(_ => js.ExecuteScript("var e = document.getElementById('explorer'); return e && e.getAttribute('data-ready') === 'true';") is true);
            var ready = Number(js.ExecuteScript("return performance.getEntriesByName('mlnetcnn-explorer-ready')[0].startTime;"));
            var canvas = driver.FindElement(By.CssSelector(".explorer-maps canvas[data-layer='1'][data-channel='0']"));
            js.ExecuteScript("arguments[0].scrollIntoView({block: 'center'});", canvas);
            new Actions(driver).MoveToElement(canvas, 2, 2).Click().Perform();
            wait.Until(_ => js.ExecuteScript("return document.getElementById('explorer-panel').getAttribute('data-rendered-at');") is string);
            var click = Number(js.ExecuteScript("return parseFloat(document.getElementById('explorer-panel').getAttribute('data-rendered-at'));"));
            var waited = click - Number(js.ExecuteScript("return parseFloat(document.getElementById('explorer-panel').getAttribute('data-input-at'));"));
            new WebDriverWait(driver, TimeSpan.FromMinutes(5)).Until(_ => js.ExecuteScript("return document.documentElement.getAttribute('data-charts-drawn');") is "true");
            var charts = Number(js.ExecuteScript("return performance.now();"));
            var longest = Number(js.ExecuteScript("return Math.max(0, ...window.__longTasks.filter(t => t[0] > arguments[0]).map(t => t[1]));", ready));
            return (ready, click, waited, charts, longest);
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    /// <summary>Headless Chromium (Debian's chromium + chromium-driver) with a fresh profile, not waiting for page loads.</summary>
    internal static ChromeDriver StartChromium(string profile, string windowSize = "1400,1000")
    {
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium", PageLoadStrategy = PageLoadStrategy.None };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--window-size={windowSize}", $"--user-data-dir={profile}");
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(120));
    }

    internal static double Number(object? value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);
}
