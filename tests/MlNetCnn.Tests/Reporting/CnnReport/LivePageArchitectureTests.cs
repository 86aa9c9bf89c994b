using System.Drawing;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Interop.PyTorch;
using MlNetCnn.Model;
using MlNetCnn.Tests.TestSupport;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace MlNetCnn.Tests.Reporting.CnnReport;

/// <summary>
/// The page's forward pass for the architectures the library builds or opens — 1 to 5 conv layers, grey or colour,
/// non-square, zero or circular padding, 3×3 or 5×5 kernels, a model loaded from a .pth — against the library's maps and
/// probabilities; the circular model's wrapped receptive field; the panel in view beside a 5-layer model's maps.
/// </summary>
[Collection(Tests.Experiments.TorchSerialCollection.Name)]
public sealed class LivePageArchitectureTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    private sealed class Row
    {
        public float[] Features { get; set; } = [];

        [KeyType(10)]
        public uint Label { get; set; }
    }

    public static TheoryData<string, int, int, int, int[], int, bool, bool> Architectures => new()
    {
        { "grey-1-layer-circular", 1, 20, 28, [5], 3, true, false },
        { "colour-5-layers-64x48", 3, 64, 48, [4, 6, 8, 8, 8], 3, false, false },
        { "colour-3-layers-k5-pth", 3, 40, 40, [6, 8, 10], 5, false, true },
        { "colour-2-layers-circular", 3, 32, 32, [6, 12], 3, true, false },
    };

    [BrowserTheory]
    [MemberData(nameof(Architectures))]
    public void ThePagesForwardPassIsTheLibrarys(string name, int channels, int height, int width, int[] conv, int kernel, bool circular, bool viaPth)
    {
        var architecture = new ConvNetArchitecture
        {
            InputChannels = channels,
            InputHeight = height,
            InputWidth = width,
            ConvChannels = conv,
            KernelSize = kernel,
            PaddingMode = circular ? ConvPadding.Circular : ConvPadding.Zeros,
            HiddenUnits = 32,
        };
        using var temp = new TempDirectory();
        using var model = Build(architecture, temp, viaPth);
        var ml = new MLContext(seed: 1);
        var test = RandomImages(ml, architecture, 24, seed: conv.Length);
        var report = LivePageBrowserTests.ExplorerOnlyReport(temp, ml, model, test, name, images: 3);
        var data = MlNetCnn.Reporting.CnnReport.CnnReportGenerator.Measure(ml, model, test, new() { ImageCount = 3 });

        using var browser = new HeadlessChromium();
        var page = LivePageBrowserTests.Open(browser, report);
        for (var i = 0; i < data.Samples.Count; i++)
        {
            page.ChooseImage(i);
            var pixels = data.Samples[i].Image;
            foreach (var layer in model.ConvLayers)
            {
                var library = model.GetFeatureMaps(pixels, layer.Name);
                var flat = new float[library.Length];
                Buffer.BlockCopy(library, 0, flat, 0, flat.Length * sizeof(float));
                Close(flat, page.Maps(layer.Index), $"{name} image {i} {layer.Name}");
            }

            Close(model.PredictProbabilities(pixels, 1), page.Probabilities(), $"{name} image {i} probabilities");
        }

        if (circular) CheckWrappedField(page, model);
        if (conv.Length == 5) CheckPanelInView(browser, page, model, temp);
        Assert.Empty(browser.PageErrors());
    }

    /// <summary>Unit (0, 0) of conv1 with circular padding reads the opposite border: the outline is drawn in all four corners and the caption says it wraps.</summary>
    private static void CheckWrappedField(ExplorerPage page, TrainedCnn model)
    {
        var a = model.Architecture;
        page.ClickUnit(model.ConvLayers[0], 0, 0, 0);
        var caption = page.Driver.FindElement(By.CssSelector(".explorer-input-caption")).Text;
        Assert.Contains("wraps around", caption, StringComparison.Ordinal);
        // Magenta pixels at the four corners of the input canvas: the field's pieces at rows H-1 and 0, columns W-1 and 0.
        var corners = ((IJavaScriptExecutor)page.Driver).ExecuteScript("""
            const c = document.getElementById('explorer-input'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            const magenta = (x, y) => { const o = (y * c.width + x) * 4; return d[o] === 255 && d[o + 1] === 0 && d[o + 2] === 255; };
            return [magenta(0, 0), magenta(c.width - 1, 0), magenta(0, c.height - 1), magenta(c.width - 1, c.height - 1)];
            """) as IEnumerable<object>;
        Assert.All(corners!, v => Assert.True((bool)v));
        Assert.Equal(-a.Padding, page.StatedField()[0]);
    }

    /// <summary>At 1280×800 and 1920×1080, a click on the deepest layer's map leaves the panel's answer on screen; screenshots for the eye.</summary>
    private void CheckPanelInView(HeadlessChromium browser, ExplorerPage page, TrainedCnn model, TempDirectory temp)
    {
        var last = model.ConvLayers[^1];
        foreach (var (w, h) in new[] { (1280, 800), (1920, 1080) })
        {
            browser.Driver.Manage().Window.Size = new Size(w, h);
            page.ClickUnit(last, last.OutChannels - 1, last.OutHeight - 1, last.OutWidth - 1);
            var box = (IReadOnlyDictionary<string, object>)((IJavaScriptExecutor)page.Driver).ExecuteScript("""
                const s = document.querySelector('#explorer-panel [data-role=summary]').getBoundingClientRect();
                const m = document.querySelector('.explorer-maps canvas[data-layer="' + arguments[0] + '"]').getBoundingClientRect();
                return { top: s.top, bottom: s.bottom, mapTop: m.top, mapBottom: m.bottom, height: window.innerHeight };
                """, last.Index)!;
            double D(string k) => Convert.ToDouble(box[k], CultureInfo.InvariantCulture);
            output.WriteLine($"{w}×{h}: summary at {D("top"):F0}–{D("bottom"):F0}, clicked map at {D("mapTop"):F0}–{D("mapBottom"):F0}, window {D("height"):F0}");
            Assert.True(D("top") >= -1 && D("bottom") <= D("height") + 1, $"{w}×{h}: the panel's summary is at {D("top")}–{D("bottom")}, outside the {D("height")}-px window");
            var shot = Path.Combine(AppContext.BaseDirectory, "screenshots", $"explorer-5-layer-{w}x{h}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
            browser.Driver.GetScreenshot().SaveAsFile(shot);
        }
    }

    private static TrainedCnn Build(ConvNetArchitecture architecture, TempDirectory temp, bool viaPth)
    {
        var names = Enumerable.Range(0, architecture.ClassCount).Select(i => $"class{i}").ToArray();
        var built = new TrainedCnn(new SimpleCnn(architecture), names, [], new TrainingSettings());
        if (!viaPth) return built;
        using (built)
        {
            var path = temp.Combine("model.pth");
            PyTorchStateDict.Save(built, path);
            return PyTorchStateDict.Load(path, names, architecture.InputHeight, architecture.InputWidth);
        }
    }

    private static IDataView RandomImages(MLContext ml, ConvNetArchitecture a, int count, int seed)
    {
        var random = new Random(seed);
        var rows = Enumerable.Range(0, count).Select(i => new Row
        {
            Label = (uint)(i % 10),
            Features = [.. Enumerable.Range(0, a.InputLength).Select(_ => (float)random.NextDouble())],
        }).ToList();
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, a.InputChannels, a.InputHeight, a.InputWidth);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    private void Close(IReadOnlyList<float> expected, IReadOnlyList<double> actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        var worst = 0.0;
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.False(double.IsNaN(actual[i]), $"{what}: NaN at {i}");
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }

        output.WriteLine($"{what}: {expected.Count} values, largest difference {worst:E2}");
        Assert.True(worst <= Tolerance, $"{what}: largest difference {worst}");
    }
}
