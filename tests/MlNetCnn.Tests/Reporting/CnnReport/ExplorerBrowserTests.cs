using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Model;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Tests.TestSupport;
using MlNetCnn.Transforms;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace MlNetCnn.Tests.Reporting.CnnReport;

/// <summary>
/// The report's network explorer in headless Chromium: random units of every conv layer clicked with the pointer show the
/// model's own pre-activation and value (TrainedCnn.GetFeatureMaps), the outlined receptive field is the arithmetic's,
/// pool winners lead back to the previous layer and to pixels, the keyboard works, and the page fetches nothing.
/// </summary>
[Collection(CnnReportCollection.Name)]
public sealed class ExplorerBrowserTests(CnnReportFixture fixture, ITestOutputHelper output)
{
    private const int UnitsPerLayer = 20;
    private const double Tolerance = 1e-4;

    /// <summary>A grey, non-square image with a class-dependent pattern (stripes across, stripes down, a blob) plus noise.</summary>
    internal sealed class GreyImage
    {
        [VectorType(1, Height, Width)]
        public float[] Features { get; set; } = new float[Height * Width];

        [KeyType(3)]
        public uint Label { get; set; }

        public const int Height = 24;
        public const int Width = 40;
    }

    [BrowserFact]
    public void TwoLayerCifarModelUnitsMatchTheModelAndTraceBackToPixels()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "screenshots", "explorer-2-layer.html");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var report = CnnReportGenerator.Write(path, fixture.Ml, fixture.Classifier, fixture.Test, new CnnReportOptions(), overwrite: true);
        var size = new FileInfo(path).Length;
        output.WriteLine($"2-layer default report (8 images, {CnnReportFixture.TestRows} test rows): {size / 1e6:F2} MB");
        Assert.True(size < 8_000_000, $"the default report is {size} bytes; the budget is 8 MB");
        CheckExplorer(path, report.ChartCount, fixture.Classifier.Model, fixture.Data, seed: 11);
    }

    [BrowserFact]
    public void ThreeLayerModelOnNonSquareGreyImagesMatchesTheModel()
    {
        var ml = new MLContext(seed: 1);
        var test = ml.Data.LoadFromEnumerable(GreyImages(90, seed: 2));
        using var classifier = DeepGreyClassifier(ml);
        var model = classifier.Model;
        Assert.Equal(3, model.ConvLayers.Count);
        Assert.Equal((1, GreyImage.Height, GreyImage.Width), (model.Architecture.InputChannels, model.Architecture.InputHeight, model.Architecture.InputWidth));

        var path = Path.Combine(AppContext.BaseDirectory, "screenshots", "explorer-3-layer-grey.html");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new CnnReportOptions { ImageCount = 4 };
        var report = CnnReportGenerator.Write(path, ml, classifier, test, options, overwrite: true);
        output.WriteLine($"3-layer grey {GreyImage.Height}×{GreyImage.Width} report: {new FileInfo(path).Length / 1e6:F2} MB");
        var data = CnnReportGenerator.Measure(ml, model, test, options);
        CheckExplorer(path, report.ChartCount, model, data, seed: 12);
    }

    private void CheckExplorer(string path, int charts, TrainedCnn model, CnnReportData data, int seed)
    {
        using var browser = new HeadlessChromium();
        var page = new ExplorerPage(browser);
        page.OpenOffline(path, charts);
        output.WriteLine($"explorer ready {page.ReadyMilliseconds():F0} ms after navigation start");
        Assert.Empty(page.ResourceRequests());

        CheckKeyboard(page, model);

        var a = model.Architecture;
        var random = new Random(seed);
        foreach (var layer in model.ConvLayers)
        {
            for (var n = 0; n < UnitsPerLayer; n++)
            {
                var image = random.Next(data.Samples.Count);
                var (ch, r, c) = (random.Next(layer.OutChannels), random.Next(layer.OutHeight), random.Next(layer.OutWidth));
                page.ChooseImage(image);
                page.ClickUnit(layer, ch, r, c);
                Assert.Equal((layer.Name, ch, r, c, image), page.PanelUnit());
                var pixels = data.Samples[image].Image;
                var pre = model.GetFeatureMaps(pixels, layer.Name, preActivation: true)[ch, r, c];
                var post = model.GetFeatureMaps(pixels, layer.Name)[ch, r, c];
                Assert.True(Math.Abs(page.Shown("pre") - pre) <= Tolerance, $"{layer.Name} ({ch},{r},{c}) image {image}: pre-activation shown {page.Shown("pre")}, model {pre}");
                Assert.True(Math.Abs(page.Shown("value") - post) <= Tolerance, $"{layer.Name} ({ch},{r},{c}) image {image}: value shown {page.Shown("value")}, model {post}");
                Assert.True(Math.Abs(page.Shown("map-value") - post) <= Tolerance, $"{layer.Name} ({ch},{r},{c}): map value shown {page.Shown("map-value")}, model {post}");

                var (r0, r1) = ReceptiveFields.Window(a, layer.Index, r);
                var (c0, c1) = ReceptiveFields.Window(a, layer.Index, c);
                Assert.Equal([r0, r1, c0, c1], page.StatedField());
                Assert.Equal([Math.Max(0, r0), Math.Min(a.InputHeight - 1, r1), Math.Max(0, c0), Math.Min(a.InputWidth - 1, c1)], page.DrawnField(a.InputHeight)!);
            }
        }

        CheckTrace(page, model, data);

        // A link to #explorer-image-N (as the explain section writes them) chooses that image.
        ((IJavaScriptExecutor)page.Driver).ExecuteScript("location.hash = '#explorer-image-2';");
        new OpenQA.Selenium.Support.UI.WebDriverWait(page.Driver, TimeSpan.FromSeconds(10)).Until(_ => page.Attribute("#explorer-image-2", "aria-pressed") == "true");
        Assert.Equal(1, page.PanelUnit().Image);
        var errors = browser.PageErrors();
        Assert.True(errors.Count == 0, "page errors:\n" + string.Join("\n", errors));
        browser.SaveFullPageScreenshot(Path.ChangeExtension(path, ".png"));
    }

    /// <summary>Tab to conv1's first map, move with the arrow keys, press Enter; Tab on to the next map and press Enter.</summary>
    private static void CheckKeyboard(ExplorerPage page, TrainedCnn model)
    {
        page.ChooseImage(0);
        var canvas = page.MapCanvas(0, 0);
        page.Scroll(canvas);
        ((IJavaScriptExecutor)page.Driver).ExecuteScript("arguments[0].focus();", canvas);
        new OpenQA.Selenium.Interactions.Actions(page.Driver)
            .SendKeys(Keys.ArrowDown).SendKeys(Keys.ArrowDown).SendKeys(Keys.ArrowRight).SendKeys(Keys.ArrowRight).SendKeys(Keys.ArrowRight)
            .SendKeys(Keys.Enter).Perform();
        Assert.Equal((model.ConvLayers[0].Name, 0, 2, 3, 0), page.PanelUnit());
        Assert.Contains("pre-activation", page.Summary(), StringComparison.Ordinal);
        new OpenQA.Selenium.Interactions.Actions(page.Driver).SendKeys(Keys.Tab).SendKeys(Keys.ArrowUp).SendKeys(Keys.Enter).Perform();
        // The next map's cursor starts at the chosen unit of the same layer, (2, 3); one up is (1, 3).
        Assert.Equal((model.ConvLayers[0].Name, 1, 1, 3, 0), page.PanelUnit());
    }

    /// <summary>From a conv2 unit, click an input-patch value: the panel moves to the conv1 unit that won that 2×2 pool
    /// window; its patch holds the image's pixels.</summary>
    private static void CheckTrace(ExplorerPage page, TrainedCnn model, CnnReportData data)
    {
        var (conv1, conv2) = (model.ConvLayers[0], model.ConvLayers[1]);
        var image = data.Samples.Count - 1;
        var pixels = data.Samples[image].Image;
        var maps1 = model.GetFeatureMaps(pixels, conv1.Name);
        page.ChooseImage(image);
        var (row, col) = (conv2.OutHeight / 2, conv2.OutWidth / 2);
        page.ClickUnit(conv2, 0, row, col);
        var cells = page.Driver.FindElements(By.CssSelector("#explorer-panel button.trace"));
        Assert.Equal(conv2.InChannels * model.Architecture.KernelSize * model.Architecture.KernelSize, cells.Count);
        var cell = cells[cells.Count / 2 + 1]; // not the first channel, not a corner
        var term = cell.FindElement(By.XPath("ancestor::div[@data-in-channel]"));
        var inChannel = I(term.GetAttribute("data-in-channel"));
        var td = cell.FindElement(By.XPath(".."));
        var (py, px) = (I(td.GetAttribute("data-y")), I(td.GetAttribute("data-x")));
        // The winner of pooled (py, px): the first largest of conv1's 2×2 window, as PyTorch's max-pool picks it.
        var (wr, wc, best) = (-1, -1, float.NegativeInfinity);
        for (var dy = 0; dy < 2; dy++)
            for (var dx = 0; dx < 2; dx++)
                if (maps1[inChannel, 2 * py + dy, 2 * px + dx] > best || wr < 0)
                    (wr, wc, best) = (2 * py + dy, 2 * px + dx, maps1[inChannel, 2 * py + dy, 2 * px + dx]);
        Assert.Equal(best, float.Parse(cell.FindElement(By.TagName("span")).Text, System.Globalization.CultureInfo.InvariantCulture), 3e-3);
        page.Click(cell, 0, 0);
        Assert.Equal((conv1.Name, inChannel, wr, wc, image), page.PanelUnit());
        Assert.True(Math.Abs(page.Shown("value") - best) <= Tolerance);

        // conv1's patch is the image: every in-image cell shows the pixel at its (row, col).
        var a = model.Architecture;
        var patch = page.Driver.FindElements(By.CssSelector("#explorer-panel td[data-role=patch]"));
        Assert.Equal(a.InputChannels * a.KernelSize * a.KernelSize, patch.Count);
        var checkedPixels = 0;
        for (var i = 0; i < patch.Count; i++)
        {
            var (y, x) = (I(patch[i].GetAttribute("data-y")), I(patch[i].GetAttribute("data-x")));
            var c = i / (a.KernelSize * a.KernelSize);
            if (y < 0 || x < 0 || y >= a.InputHeight || x >= a.InputWidth)
            {
                Assert.Contains("pad", patch[i].Text, StringComparison.Ordinal);
                continue;
            }

            Assert.Equal(pixels[(c * a.InputHeight + y) * a.InputWidth + x], double.Parse(patch[i].Text, System.Globalization.CultureInfo.InvariantCulture), 5e-4);
            checkedPixels++;
        }

        Assert.True(checkedPixels > 0);
        var (r0, r1) = ReceptiveFields.Window(a, 0, wr);
        Assert.Equal([r0, r1], page.StatedField()[..2]);
    }

    private static int I(string? text) => int.Parse(text!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A 3-layer network on the grey non-square images (240 of seed 1), one epoch: the deep model the browser tests click.</summary>
    internal static SimpleCnnTransformer DeepGreyClassifier(MLContext ml) =>
        ml.MulticlassClassification.Trainers.SimpleCnn(new SimpleCnnTrainer.Options
        {
            NumberOfEpochs = 1,
            NumberOfThreads = 1,
            Seed = 5,
            ConvChannels = [4, 6, 8],
            HiddenUnits = 16,
        }).Fit(ml.Data.LoadFromEnumerable(GreyImages(240, seed: 1)));

    internal static IEnumerable<GreyImage> GreyImages(int count, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var label = (uint)(i % 3);
            var image = new GreyImage { Label = label };
            var (cy, cx) = (random.Next(GreyImage.Height), random.Next(GreyImage.Width));
            for (var y = 0; y < GreyImage.Height; y++)
                for (var x = 0; x < GreyImage.Width; x++)
                {
                    var v = label switch
                    {
                        0 => (y / 3 % 2) * 0.8f,
                        1 => (x / 3 % 2) * 0.8f,
                        _ => (y - cy) * (y - cy) + (x - cx) * (x - cx) < 30 ? 0.9f : 0.1f,
                    };
                    image.Features[y * GreyImage.Width + x] = Math.Clamp(v + (float)(random.NextDouble() * 0.2 - 0.1), 0f, 1f);
                }

            yield return image;
        }
    }
}
