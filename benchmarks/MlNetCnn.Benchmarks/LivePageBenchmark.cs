using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Reporting.CnnReport.Sections;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace MlNetCnn.Benchmarks;

/// <summary>
/// The explorer's in-page network (issue 26): milliseconds from a kernel edit (a conv1 weight changed in the panel, so
/// every layer reruns) to every map, the panel and the prediction redrawn, read from the page's own performance.now()
/// timings in headless Chromium; for the default model (2 conv layers on 32×32, trained 1 epoch on the CIFAR subset) and
/// a 3-conv-layer model on 64×64 colour images (random weights and images: the cost does not depend on them). Pages
/// hold only the explorer section, so no chart is drawn meanwhile; the pages alternate. Also the bytes the embedded
/// fc1/fc2 weights add to the default report. Targets: ≤ 50 ms (default), ≤ 200 ms (3-layer 64×64), ≤ 0.6 MB added.
/// </summary>
internal static class LivePageBenchmark
{
    private const int Rounds = 2;
    private const int EditsPerRound = 25;

    public static void Run(BenchmarkData data)
    {
        Console.WriteLine();
        var directory = Directory.CreateTempSubdirectory("mlnetcnn-livepage-bench-");
        try
        {
            using var model = data.TrainModel(threads: 1);
            var fullPage = Path.Combine(directory.FullName, "default-full.html");
            CnnReportGenerator.Write(fullPage, data.MlContext, model, data.Test, new CnnReportOptions { ImageCount = 8 }, overwrite: true);
            PrintWeightBytes(fullPage);

            var explorerOnly = new CnnReportOptions { ImageCount = 8, Sections = [new ExplorerSection()] };
            var defaultPage = Path.Combine(directory.FullName, "default.html");
            CnnReportGenerator.Write(defaultPage, data.MlContext, model, data.Test, explorerOnly, overwrite: true);
            var deepPage = Path.Combine(directory.FullName, "deep64.html");
            DeepColourReport.Write(deepPage, rows: 100, explorerOnly);

            Console.WriteLine("| page | round | load average | edits | forward pass ms (median) | edit → all drawn ms (median / max) | edit → next frame ms (median / max) |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            for (var round = 1; round <= Rounds; round++)
            {
                foreach (var (name, path) in new[] { ("default (2 conv layers, 32×32)", defaultPage), ("3 conv layers, 64×64 colour", deepPage) })
                {
                    var load = MachineLoad.Describe();
                    var (forward, drawn, frame) = Measure(path);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {name} | {round} | {load} | {drawn.Length} | {Median(forward):F1} | {Median(drawn):F1} / {drawn.Max():F1} | {Median(frame):F1} / {frame.Max():F1} |"));
                }
            }

            Console.WriteLine("(\"all drawn\": the page's synchronous recompute — forward pass, every map canvas, the input, the prediction and the panel; \"next frame\": until the following animation frame; targets ≤ 50 ms default, ≤ 200 ms 3-layer 64×64)");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>What the live page embeds beyond the explorer's earlier payload: fc1 and fc2 weights and biases (base64 float32), class names, colour scale.</summary>
    private static void PrintWeightBytes(string path)
    {
        var html = File.ReadAllText(path);
        var json = Regex.Match(html, "<script type=\"application/json\" id=\"mlnetcnn-explorer-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        long added = 0;
        foreach (var name in new[] { "fc1", "fc2", "classes", "colorscale" }) added += root.GetProperty(name).GetRawText().Length + name.Length + 4;
        var weights = root.GetProperty("layers").EnumerateArray().Sum(l => (long)l.GetProperty("weights").GetString()!.Length + l.GetProperty("bias").GetString()!.Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"default report: {new FileInfo(path).Length / 1e6:F2} MB; explorer data {json.Length / 1e6:F2} MB, of which the fc1/fc2 weights, class names and colour scale the live page added {added / 1e6:F3} MB (conv kernels, embedded before, {weights / 1e6:F3} MB)"));
    }

    private static (double[] Forward, double[] Drawn, double[] Frame) Measure(string path)
    {
        var profile = Directory.CreateTempSubdirectory("mlnetcnn-chromium-");
        try
        {
            using var driver = ExplorerBenchmark.StartChromium(profile.FullName, "1280,800");
            var js = (IJavaScriptExecutor)driver;
            driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(30);
            driver.Navigate().GoToUrl(new Uri(path).AbsoluteUri);
            new WebDriverWait(driver, TimeSpan.FromSeconds(120)).Until(_ =>
                js.ExecuteScript("var e = document.getElementById('explorer'); return e && e.getAttribute('data-ready') === 'true';") is true);
            js.ExecuteScript("window.mlnetcnnExplorer.select(0, 0, 5, 5);");
            var (forward, drawn, frame) = (new List<double>(), new List<double>(), new List<double>());
            for (var i = 0; i < EditsPerRound + 3; i++)
            {
                // A conv1 weight edited as the panel's input does it (a change event), so every layer and the prediction rerun.
                var result = (IReadOnlyList<object>?)js.ExecuteAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const input = document.querySelector('#explorer-panel input[data-role=weight]');
                    const t0 = performance.now();
                    input.value = String(parseFloat(input.value) + 0.01);
                    input.dispatchEvent(new Event('change', { bubbles: true }));
                    const t1 = performance.now();
                    const t = window.mlnetcnnExplorer.timings[window.mlnetcnnExplorer.timings.length - 1];
                    requestAnimationFrame(() => { const t2 = performance.now(); setTimeout(() => done([t.forward, t1 - t0, t2 - t0]), 0); });
                    """) ?? throw new InvalidOperationException("The page returned no timings.");
                if (i < 3) continue; // warm-up: the first runs compile the forward pass
                forward.Add(ExplorerBenchmark.Number(result[0]));
                drawn.Add(ExplorerBenchmark.Number(result[1]));
                frame.Add(ExplorerBenchmark.Number(result[2]));
            }

            return ([.. forward], [.. drawn], [.. frame]);
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
