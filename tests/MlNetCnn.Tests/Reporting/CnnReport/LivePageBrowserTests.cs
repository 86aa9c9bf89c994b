using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Model;
using MlNetCnn.Reporting.CnnReport;
using MlNetCnn.Reporting.CnnReport.Sections;
using MlNetCnn.Tests.TestSupport;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using OpenQA.Selenium.Support.UI;
using Xunit.Abstractions;

namespace MlNetCnn.Tests.Reporting.CnnReport;

/// <summary>
/// The explorer's live page (issue 26) in headless Chromium: a PNG chosen through the file input, a kernel edit, a shift
/// by the arrow keys — every layer's maps and the class probabilities the page computes are the library's
/// (<see cref="TrainedCnn.GetFeatureMaps"/>, the transformer's Score column) on the same file or the same weights.
/// </summary>
[Collection(CnnReportCollection.Name)]
public sealed class LivePageBrowserTests(CnnReportFixture fixture, ITestOutputHelper output)
{
    /// <summary>The page sums in float64 and rounds to float32 once per value; libtorch sums in float32 in its own order.</summary>
    private const double Tolerance = 1e-5;

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = string.Empty;
    }

    [BrowserFact]
    public void AFileChosenInThePageGivesTheLibrarysMapsAndProbabilities()
    {
        using var temp = new TempDirectory();
        var model = fixture.Classifier.Model;
        var a = model.Architecture;
        // At the model's size, so no resampling is involved: the pixels must be equal, the network's numbers within 1e-5.
        var png = temp.Combine("my picture.png");
        ImageFolderWriter.WriteImage(png, ImageFolderWriter.Pattern("checker", a.InputHeight, a.InputWidth, 3, new Random(7)), a.InputHeight, a.InputWidth, grayscale: false);
        var library = LibraryPixels(fixture.Ml, temp.Path, png, a.InputHeight, a.InputWidth, grayscale: false);

        using var browser = new HeadlessChromium();
        var page = Open(browser, ExplorerOnlyReport(temp, fixture.Ml, model, fixture.Test, "cifar"));
        var before = page.Probabilities();
        page.LoadFile(png);
        Assert.Equal(library, page.Pixels().Select(v => (float)v).ToArray());
        CheckAgainstLibrary(page, model, library, "a PNG chosen in the page");

        // The probabilities the transformer's Score column gives for the same file, through ML.NET's own image steps.
        var view = fixture.Ml.Data.LoadFromEnumerable([new PathRow { ImagePath = Path.GetFileName(png) }]);
        var scored = fixture.Classifier.Transform(fixture.Ml.Transforms.LoadImagePixels(temp.Path, a.InputHeight, a.InputWidth).Fit(view).Transform(view));
        var score = scored.GetColumn<VBuffer<float>>("Score").Single().DenseValues().ToArray();
        AssertClose(score, page.Probabilities(), "probabilities (Transform's Score column)");
        AssertClose(score, page.ShownProbabilities(score.Length), "probabilities as listed on the page");
        Assert.NotEqual(before, page.Probabilities());

        // The panel's shown numbers follow the new picture: a conv2 unit's value is the library's.
        var conv2 = model.ConvLayers[1];
        page.ClickUnit(conv2, 3, 5, 7);
        Assert.Equal(model.GetFeatureMaps(library, conv2.Name)[3, 5, 7], page.Shown("value"), Tolerance);
        Assert.Equal(model.GetFeatureMaps(library, conv2.Name, preActivation: true)[3, 5, 7], page.Shown("pre"), Tolerance);
        Assert.Contains("not computed by the library", page.Driver.FindElement(By.CssSelector("#explorer-panel [data-role=model-value]")).Text, StringComparison.Ordinal);
        foreach (var (w, h) in new[] { (1280, 800), (1920, 1080) })
        {
            browser.Driver.Manage().Window.Size = new System.Drawing.Size(w, h);
            page.ClickUnit(conv2, 3, 5, 7);
            var shot = Path.Combine(AppContext.BaseDirectory, "screenshots", $"explorer-own-picture-{w}x{h}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
            browser.Driver.GetScreenshot().SaveAsFile(shot);
        }

        Assert.Empty(page.ResourceRequests());
        Assert.Empty(browser.PageErrors());
    }

    /// <summary>
    /// The resize rule the page states (nearest neighbour at pixel centres, as SkiaSharp's unfiltered Resize behind
    /// ML.NET's ResizeImages "Fill") gives exactly the library's pixels, shrinking and enlarging, non-square.
    /// </summary>
    [BrowserFact]
    public void ThePagesResizeRuleIsTheImageFolderReaders()
    {
        using var temp = new TempDirectory();
        var model = fixture.Classifier.Model;
        var (h, w) = (model.Architecture.InputHeight, model.Architecture.InputWidth);
        using var browser = new HeadlessChromium();
        var page = Open(browser, ExplorerOnlyReport(temp, fixture.Ml, model, fixture.Test, "cifar"));
        foreach (var (sh, sw) in new[] { (41, 53), (13, 20), (97, 31), (32, 32) })
        {
            var png = temp.Combine($"noise-{sh}x{sw}.png");
            var random = new Random(sh * 100 + sw);
            ImageFolderWriter.WriteImage(png, [.. Enumerable.Range(0, 3 * sh * sw).Select(_ => (float)random.NextDouble())], sh, sw, grayscale: false);
            var library = LibraryPixels(fixture.Ml, temp.Path, png, h, w, grayscale: false);
            page.LoadFile(png);
            var shown = page.Pixels().Select(v => (float)v).ToArray();
            var differ = library.Where((v, i) => v != shown[i]).Count();
            output.WriteLine($"{sw}×{sh} → {w}×{h}: {differ} of {library.Length} values differ");
            Assert.Equal(0, differ);
            CheckAgainstLibrary(page, model, library, $"a {sw}×{sh} PNG resized");
        }
    }

    /// <summary>A grey, non-square, 3-layer model: a grey PNG at its size gives its maps; a colour PNG of another size is resized and made grey as the library does.</summary>
    [BrowserFact]
    public void GreyNonSquareModelFromAFile()
    {
        var ml = new MLContext(seed: 1);
        var test = ml.Data.LoadFromEnumerable(ExplorerBrowserTests.GreyImages(60, seed: 2));
        using var classifier = ExplorerBrowserTests.DeepGreyClassifier(ml);
        var model = classifier.Model;
        var (h, w) = (ExplorerBrowserTests.GreyImage.Height, ExplorerBrowserTests.GreyImage.Width);
        using var temp = new TempDirectory();
        using var browser = new HeadlessChromium();
        var page = Open(browser, ExplorerOnlyReport(temp, ml, model, test, "grey"));

        var grey = temp.Combine("grey.png");
        ImageFolderWriter.WriteImage(grey, ImageFolderWriter.Pattern("vertical", h, w, 1, new Random(3)), h, w, grayscale: true);
        var library = LibraryPixels(ml, temp.Path, grey, h, w, grayscale: true);
        page.LoadFile(grey);
        Assert.Equal(library, page.Pixels().Select(v => (float)v).ToArray());
        CheckAgainstLibrary(page, model, library, "a grey PNG");

        // Colour → grey: SkiaSharp's colour filter 0.3 R + 0.59 G + 0.11 B rounds halves up; the page does the same in integers.
        var colour = temp.Combine("colour.png");
        var random = new Random(9);
        ImageFolderWriter.WriteImage(colour, [.. Enumerable.Range(0, 3 * 37 * 61).Select(_ => (float)random.NextDouble())], 37, 61, grayscale: false);
        var libraryGrey = LibraryPixels(ml, temp.Path, colour, h, w, grayscale: true);
        page.LoadFile(colour);
        var shown = page.Pixels().Select(v => (float)v).ToArray();
        var differ = libraryGrey.Where((v, i) => v != shown[i]).Count();
        output.WriteLine($"colour 61×37 → grey {w}×{h}: {differ} of {shown.Length} values differ");
        Assert.Equal(0, differ);
        // The network on what the page holds is still the library's network.
        CheckAgainstLibrary(page, model, shown, "the page's grey picture");
        Assert.Empty(browser.PageErrors());
    }

    /// <summary>
    /// One conv1 kernel set on the page (the vertical-edge preset, then a bias typed in) gives the maps and probabilities
    /// of the same change made through the API: the weights written to a .pth with the library's PyTorch interop and loaded back.
    /// </summary>
    [BrowserFact]
    public void AKernelEditedOnThePageEqualsTheSameEditThroughAPthFile()
    {
        const int channel = 2;
        const float bias = 0.25f;
        var model = fixture.Classifier.Model;
        var a = model.Architecture;
        using var temp = new TempDirectory();
        using var browser = new HeadlessChromium();
        var page = Open(browser, ExplorerOnlyReport(temp, fixture.Ml, model, fixture.Test, "cifar"));
        page.ChooseImage(1);
        page.ClickUnit(model.ConvLayers[0], channel, 10, 10);
        var original = page.Probabilities();
        page.Click(page.Driver.FindElement(By.Id("explorer-preset-vertical")), 0, 0);
        Assert.Contains("not saved", page.Driver.FindElement(By.CssSelector("#explorer-panel [data-role=unsaved]")).Text, StringComparison.Ordinal);
        var biasInput = page.Driver.FindElement(By.Id("explorer-bias"));
        biasInput.Clear();
        biasInput.SendKeys(bias.ToString(CultureInfo.InvariantCulture) + Keys.Enter);
        new WebDriverWait(page.Driver, TimeSpan.FromSeconds(5)).Until(_ => page.Driver.FindElement(By.CssSelector("#explorer-panel [data-role=bias-text]")).Text == bias.ToString("F5", CultureInfo.InvariantCulture));

        // The same edit through the API: vertical edges are -1, 0, +1 across each row of the 3×3 kernel, for every input channel.
        var k = a.KernelSize;
        using var edited = Conv1KernelEdit.Load(model, temp, channel, i => (i % k - (k - 1) / 2f) / ((k - 1) / 2f), bias);
        var pixels = fixture.Data.Samples[1].Image;
        CheckAgainstLibrary(page, edited, pixels, "conv1 channel 2 edited");
        AssertClose(edited.PredictProbabilities(pixels, 1), page.Probabilities(), "probabilities after the edit");
        Assert.True(original.Zip(page.Probabilities()).Any(p => Math.Abs(p.First - p.Second) > 1e-6), "the edit changed nothing");
        Assert.Equal(edited.GetFeatureMaps(pixels, model.ConvLayers[0].Name, preActivation: true)[channel, 10, 10], page.Shown("pre"), Tolerance);

        // Reset restores the trained weights: the model's own maps again.
        page.Click(page.Driver.FindElement(By.Id("explorer-reset-all")), 0, 0);
        AssertClose(original, page.Probabilities(), "probabilities after reset");
        Assert.DoesNotContain("not computed", page.Driver.FindElement(By.CssSelector("#explorer-panel [data-role=model-value]")).Text, StringComparison.Ordinal);
        Assert.Empty(browser.PageErrors());
    }

    /// <summary>Three presses of the right arrow on the focused picture shift conv1's maps three units right, away from the borders; every layer is the library's on the shifted picture.</summary>
    [BrowserFact]
    public void AThreePixelShiftByKeyboardShiftsTheMaps()
    {
        const int shift = 3;
        var model = fixture.Classifier.Model;
        var a = model.Architecture;
        var conv1 = model.ConvLayers[0];
        using var temp = new TempDirectory();
        using var browser = new HeadlessChromium();
        var page = Open(browser, ExplorerOnlyReport(temp, fixture.Ml, model, fixture.Test, "cifar"));
        page.ChooseImage(2);
        var before = page.Maps(0);
        var input = page.Driver.FindElement(By.Id("explorer-input"));
        page.Scroll(input);
        ((IJavaScriptExecutor)page.Driver).ExecuteScript("arguments[0].focus();", input);
        new Actions(page.Driver).SendKeys(Keys.ArrowRight).SendKeys(Keys.ArrowRight).SendKeys(Keys.ArrowRight).Perform();
        var after = page.Maps(0);

        var (hh, ww, pad) = (conv1.OutHeight, conv1.OutWidth, a.Padding);
        var compared = 0;
        for (var c = 0; c < conv1.OutChannels; c++)
            for (var y = pad; y < hh - pad; y++)
                for (var x = shift + pad; x < ww - pad; x++)
                {
                    var (was, now) = (before[(c * hh + y) * ww + x - shift], after[(c * hh + y) * ww + x]);
                    Assert.True(was == now, $"conv1 ch {c} ({y},{x}): {now}, before the shift at ({y},{x - shift}): {was}");
                    compared++;
                }

        Assert.True(compared > conv1.OutChannels * 20 * 20);
        var shifted = new float[a.InputLength];
        var original = fixture.Data.Samples[2].Image;
        for (var c = 0; c < a.InputChannels; c++)
            for (var y = 0; y < a.InputHeight; y++)
                for (var x = shift; x < a.InputWidth; x++)
                    shifted[(c * a.InputHeight + y) * a.InputWidth + x] = original[(c * a.InputHeight + y) * a.InputWidth + x - shift];
        Assert.Equal(shifted, page.Pixels().Select(v => (float)v).ToArray());
        CheckAgainstLibrary(page, model, shifted, "shifted 3 pixels right");
    }

    /// <summary>
    /// The live page's weight budget for the default model (≈ 94k weights): fc1 and fc2 as base64 float32 plus class
    /// names and colour scale stay under 0.56 MB, and the explorer's whole script and stylesheet under 60 KB, so the
    /// default report grows by less than 0.6 MB (the script and stylesheet were 25 KB before).
    /// </summary>
    [Fact]
    public void TheLivePageAddsLessThanSixTenthsOfAMegabyteToTheDefaultReport()
    {
        var model = fixture.Classifier.Model;
        var d = ConvNetArchitecture.Default;
        Assert.Equal((d.InputChannels, d.InputHeight, d.InputWidth, d.KernelSize, d.HiddenUnits, d.ClassCount), (model.Architecture.InputChannels, model.Architecture.InputHeight, model.Architecture.InputWidth, model.Architecture.KernelSize, model.Architecture.HiddenUnits, model.Architecture.ClassCount));
        Assert.Equal(d.ConvChannels, model.Architecture.ConvChannels);
        var json = MlNetCnn.Reporting.CnnReport.Explorer.ExplorerPayload.Build(fixture.Data, ExplorerSection.Maps(fixture.Data), ExplorerSection.TopPatches(fixture.Data));
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var added = new[] { "fc1", "fc2", "classes", "colorscale" }.Sum(name => doc.RootElement.GetProperty(name).GetRawText().Length);
        var a = model.Architecture;
        var weights = a.FlattenedFeatures() * a.HiddenUnits + a.HiddenUnits + a.HiddenUnits * a.ClassCount + a.ClassCount;
        var code = MlNetCnn.Reporting.CnnReport.Explorer.ExplorerAssets.Script.Length + MlNetCnn.Reporting.CnnReport.Explorer.ExplorerAssets.Style.Length;
        output.WriteLine($"fc1+fc2: {weights} weights; added data {added / 1e6:F3} MB; explorer script + style {code / 1e3:F1} KB");
        Assert.InRange(added, 4 * weights * 4 / 3, 560_000);
        Assert.True(code < 60_000, $"explorer script + style {code} bytes");
    }

    /// <summary>Charts are drawn in the background after loading; their heights are reserved, so the explorer below them stays where it was.</summary>
    [BrowserFact]
    public void TheExplorerDoesNotMoveWhileTheChartsAboveItAreDrawn()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("full.html");
        var report = CnnReportGenerator.Write(path, fixture.Ml, fixture.Classifier, fixture.Test, new CnnReportOptions());
        using var browser = new HeadlessChromium();
        browser.Driver.Navigate().GoToUrl(new Uri(path).AbsoluteUri);
        const string explorerTop = "return document.getElementById('explorer').getBoundingClientRect().top + window.scrollY;";
        var before = Convert.ToDouble(browser.Js.ExecuteScript(explorerTop), CultureInfo.InvariantCulture);
        Assert.NotEqual("true", browser.Js.ExecuteScript("return document.documentElement.getAttribute('data-charts-drawn');") as string);
        browser.Open(path, report.ChartCount, TimeSpan.FromSeconds(150));
        var after = Convert.ToDouble(browser.Js.ExecuteScript(explorerTop), CultureInfo.InvariantCulture);
        output.WriteLine($"explorer top before the {report.ChartCount} charts were drawn: {before:F0} px, after: {after:F0} px");
        Assert.True(Math.Abs(after - before) <= 40, $"the explorer moved from {before} to {after} px while the charts were drawn");
    }

    /// <summary>A pointer stroke with a white 2-pixel brush paints those pixels white and the network follows (the library's maps on the painted picture); "erase" over the same stroke paints the picture back.</summary>
    [BrowserFact]
    public void ABrushStrokeRepaintsPixelsAndEraseRestoresThem()
    {
        var model = fixture.Classifier.Model;
        var a = model.Architecture;
        using var temp = new TempDirectory();
        using var browser = new HeadlessChromium();
        var page = Open(browser, ExplorerOnlyReport(temp, fixture.Ml, model, fixture.Test, "cifar"));
        page.ChooseImage(3);
        var original = page.Pixels();
        var canvas = page.Driver.FindElement(By.Id("explorer-input"));
        page.Scroll(canvas);
        var side = Convert.ToDouble(browser.Js.ExecuteScript("return arguments[0].clientWidth;", canvas), CultureInfo.InvariantCulture);
        int At(int pixel) => (int)Math.Floor((pixel + 0.5) * side / a.InputWidth - side / 2);
        // A horizontal stroke along image row 16, columns 4 → 27 (offsets are from the canvas centre).
        void Stroke(int from, int to) => new Actions(page.Driver).MoveToElement(canvas, At(from), At(16)).ClickAndHold().MoveToElement(canvas, At(15), At(16)).MoveToElement(canvas, At(to), At(16)).Release().Perform();
        var before = page.Recomputed();
        Stroke(4, 27);
        new WebDriverWait(page.Driver, TimeSpan.FromSeconds(5)).Until(_ => page.Recomputed() > before);
        var painted = page.Pixels();
        var plane = a.InputHeight * a.InputWidth;
        for (var c = 0; c < a.InputChannels; c++)
            for (var x = 4; x <= 27; x++)
                Assert.Equal(1.0, painted[c * plane + 16 * a.InputWidth + x]);
        Assert.Equal(original[5 * a.InputWidth + 5], painted[5 * a.InputWidth + 5]);
        CheckAgainstLibrary(page, model, [.. painted.Select(v => (float)v)], "a brush stroke");

        // A wider eraser (4 pixels, one column further each way) so a pointer position rounded differently still covers the stroke.
        page.Driver.FindElement(By.Id("explorer-brush-erase")).Click();
        var size = page.Driver.FindElement(By.Id("explorer-brush-size"));
        size.Clear();
        size.SendKeys("4");
        page.Scroll(canvas);
        before = page.Recomputed();
        Stroke(2, 29);
        new WebDriverWait(page.Driver, TimeSpan.FromSeconds(5)).Until(_ => page.Recomputed() > before);
        Assert.Equal(original, page.Pixels());
        Assert.Empty(browser.PageErrors());
    }

    private void CheckAgainstLibrary(ExplorerPage page, TrainedCnn model, float[] pixels, string what)
    {
        foreach (var layer in model.ConvLayers)
        {
            var library = model.GetFeatureMaps(pixels, layer.Name);
            var flat = new float[library.Length];
            Buffer.BlockCopy(library, 0, flat, 0, flat.Length * sizeof(float));
            var shown = page.Maps(layer.Index);
            Assert.Equal(flat.Length, shown.Length);
            Assert.True(flat.Any(v => v > 0), $"{what}: {layer.Name} is all zero in the library; the comparison could not fail");
            AssertClose(flat, shown, $"{what}: {layer.Name}");
        }

        AssertClose(model.PredictProbabilities(pixels, 1), page.Probabilities(), $"{what}: probabilities");
    }

    private void AssertClose(IReadOnlyList<float> expected, IReadOnlyList<double> actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        var (worst, at) = (0.0, 0);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.False(double.IsNaN(actual[i]) || float.IsNaN(expected[i]), $"{what}: NaN at {i}");
            var d = Math.Abs(expected[i] - actual[i]);
            if (d > worst) (worst, at) = (d, i);
        }

        output.WriteLine($"{what}: {expected.Count} values, largest difference {worst:E2}");
        Assert.True(worst <= Tolerance, $"{what}: value {at} is {actual[at]} on the page, {expected[at]} in the library");
    }

    private void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string what) =>
        AssertClose([.. expected.Select(v => (float)v)], actual, what);

    /// <summary>The pixels ML.NET's image steps give for one file (the image-folder reader's <see cref="ImageFolderCatalog.LoadImagePixels"/>).</summary>
    internal static float[] LibraryPixels(MLContext ml, string folder, string file, int height, int width, bool grayscale)
    {
        var view = ml.Data.LoadFromEnumerable([new PathRow { ImagePath = Path.GetRelativePath(folder, file) }]);
        var pixels = ml.Transforms.LoadImagePixels(folder, height, width, grayscale).Fit(view).Transform(view);
        return pixels.GetColumn<VBuffer<float>>("Features").Single().DenseValues().ToArray();
    }

    /// <summary>A report with only the explorer section (no charts to wait for).</summary>
    internal static (string Path, int Charts) ExplorerOnlyReport(TempDirectory temp, MLContext ml, TrainedCnn model, IDataView test, string name, int images = 4)
    {
        var path = temp.Combine(name + ".html");
        var report = CnnReportGenerator.Write(path, ml, model, test, new CnnReportOptions { ImageCount = images, Sections = [new ExplorerSection()] });
        return (path, report.ChartCount);
    }

    internal static ExplorerPage Open(HeadlessChromium browser, (string Path, int Charts) report)
    {
        var page = new ExplorerPage(browser);
        page.OpenOffline(report.Path, report.Charts);
        return page;
    }
}
