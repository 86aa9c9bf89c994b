using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Data.ImageFolder;
using MlNetCnn.Model;
using MlNetCnn.Reporting.CnnReport.Sections;
using MlNetCnn.Tests.TestSupport;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace MlNetCnn.Tests.Reporting.CnnReport;

/// <summary>
/// How the explorer reads (issue 26, item 5), checked against the library: dead channels are flagged exactly where a
/// channel is 0 on every test image; pool ties are marked exactly where a 2×2 window's maximum is shared; a traced path
/// is shown with a working Back; the colour legend states the layer's maximum; the top-image note says which units
/// compete; a map's label never covers its bottom row.
/// </summary>
[Collection(CnnReportCollection.Name)]
public sealed class ExplorerReadingTests(CnnReportFixture fixture, ITestOutputHelper output)
{
    [BrowserFact]
    public void DeadChannelsTiesTrailLegendAndLabelsReadAsTheLibrarysNumbers()
    {
        const int killed = 1;
        var trained = fixture.Classifier.Model;
        var a = trained.Architecture;
        using var temp = new TempDirectory();
        // conv1 channel 1 made dead through the API (.pth written with zero weights and bias -1, then loaded).
        using var model = Conv1KernelEdit.DeadChannel(trained, temp, killed, bias: -1f);
        var report = LivePageBrowserTests.ExplorerOnlyReport(temp, fixture.Ml, model, fixture.Test, "reading");
        using var browser = new HeadlessChromium();
        var page = LivePageBrowserTests.Open(browser, report);
        var js = (IJavaScriptExecutor)page.Driver;

        // Dead channels: the library's maximum over every unit of every test row is 0.
        var expectedDead = DeadChannels(model, fixture.Test);
        output.WriteLine($"dead channels (library, {CnnReportFixture.TestRows} test rows): {string.Join(", ", expectedDead)}");
        Assert.Contains($"conv1 ch {killed}", expectedDead);
        var shownDead = ((IEnumerable<object>)js.ExecuteScript("""
            return Array.from(document.querySelectorAll('.explorer-map.dead canvas')).map(c =>
              document.querySelectorAll('.explorer-layer')[+c.dataset.layer].dataset.layer + ' ch ' + c.dataset.channel);
            """)!).Select(o => $"{o}").ToList();
        Assert.Equal(expectedDead.Order(), shownDead.Order());
        page.ClickUnit(model.ConvLayers[0], killed, 4, 4);
        Assert.Equal("true", page.Attribute(".explorer-top", "data-dead"));
        Assert.Contains("dead channel", page.Driver.FindElement(By.CssSelector(".explorer-top [data-role=dead]")).Text, StringComparison.Ordinal);
        // No test crops (the optimized picture, which is not a test image, may still be shown).
        Assert.Empty(page.Driver.FindElements(By.CssSelector(".explorer-top .explorer-crop:not(.explorer-feature)")));

        // Ties: a conv2 unit's patch marks exactly the pooled values whose 2×2 window maximum is shared in the library's conv1 maps.
        var (conv1, conv2) = (model.ConvLayers[0], model.ConvLayers[1]);
        page.ChooseImage(0);
        var maps1 = model.GetFeatureMaps(fixture.Data.Samples[0].Image, conv1.Name);
        page.ClickUnit(conv2, 0, 6, 6);
        var cells = page.Driver.FindElements(By.CssSelector("#explorer-panel button.trace"));
        var ties = 0;
        foreach (var cell in cells)
        {
            var inChannel = int.Parse(cell.FindElement(By.XPath("ancestor::div[@data-in-channel]")).GetAttribute("data-in-channel")!, CultureInfo.InvariantCulture);
            var td = cell.FindElement(By.XPath(".."));
            var (py, px) = (int.Parse(td.GetAttribute("data-y")!, CultureInfo.InvariantCulture), int.Parse(td.GetAttribute("data-x")!, CultureInfo.InvariantCulture));
            if (py < 0 || px < 0 || py >= conv1.PooledHeight || px >= conv1.PooledWidth) continue;
            var window = new[] { maps1[inChannel, 2 * py, 2 * px], maps1[inChannel, 2 * py, 2 * px + 1], maps1[inChannel, 2 * py + 1, 2 * px], maps1[inChannel, 2 * py + 1, 2 * px + 1] };
            var tie = window.Count(v => v == window.Max()) > 1;
            Assert.Equal(tie ? "true" : "false", cell.GetAttribute("data-tie"));
            Assert.Equal(tie, cell.Text.Contains("tie", StringComparison.Ordinal));
            if (tie) ties++;
        }

        Assert.True(ties >= a.KernelSize * a.KernelSize, $"{ties} ties; the dead channel's {a.KernelSize * a.KernelSize} all-zero windows alone are ties");
        Assert.Contains("no unit won", page.Driver.FindElement(By.CssSelector("#explorer-panel")).Text, StringComparison.Ordinal);

        // The trail: conv2 → conv1 → pixels, and Back returns to the conv2 unit.
        var first = page.PanelUnit();
        var trace = cells.First(c => c.GetAttribute("data-tie") == "false");
        page.Click(trace, 0, 0);
        var trail = page.Driver.FindElement(By.CssSelector("#explorer-panel [data-role=trail]")).Text;
        output.WriteLine(trail);
        Assert.Matches(@"Path: conv2 ch 0 \(6,6\) → conv1 ch \d+ \(\d+,\d+\) → pixels", trail);
        page.Click(page.Driver.FindElement(By.Id("explorer-back")), 0, 0);
        Assert.Equal(first, page.PanelUnit());
        Assert.False(page.Driver.FindElement(By.Id("explorer-back")).Enabled);

        // The legend states each layer's largest value for the picture shown (the library's, to 3 decimals).
        foreach (var layer in model.ConvLayers)
        {
            var max = model.GetFeatureMaps(fixture.Data.Samples[0].Image, layer.Name).Cast<float>().Max();
            var shown = page.Driver.FindElement(By.CssSelector($".explorer-layer[data-layer='{layer.Name}'] [data-role=legend-max]")).Text;
            Assert.Equal(max.ToString("F3", CultureInfo.InvariantCulture), shown);
        }

        // The top-image note says which units compete.
        page.ClickUnit(conv1, 0, 3, 3);
        Assert.Contains("wholly inside the image", page.Driver.FindElement(By.CssSelector(".explorer-top")).Text, StringComparison.Ordinal);

        // Every unit of every conv1 map's bottom row is the canvas's own click target (no label over it).
        var covered = Convert.ToInt32(js.ExecuteScript("""
            let bad = 0;
            document.querySelectorAll('.explorer-maps canvas[data-layer="0"]').forEach(c => {
              c.scrollIntoView({ block: 'center' });
              const r = c.getBoundingClientRect(), y = r.bottom - 1;
              for (let x = r.left + 1; x < r.right; x += 2) if (document.elementFromPoint(x, y) !== c) bad++;
            });
            return bad;
            """), CultureInfo.InvariantCulture);
        Assert.Equal(0, covered);
        Assert.Empty(browser.PageErrors());
    }

    /// <summary>For an image folder, the explorer names each image's file (a row number is a position in a seeded shuffle).</summary>
    [BrowserFact]
    public void ImageFolderImagesAreNamedByTheirFile()
    {
        using var temp = new TempDirectory();
        ImageFolderWriter.WriteClasses(temp.Path, 8, 20, 20, grayscale: false);
        var ml = new MLContext(seed: 1);
        var (train, test) = ml.Data.LoadFromImageFolderSplits(temp.Path, new ImageFolderOptions { TestFraction = 0.5 });
        var pixels = ml.Transforms.LoadImagePixels(train.RootDirectory, 20, 20);
        var model = pixels.Append(ml.MulticlassClassification.Trainers.SimpleCnn(new MlNetCnn.Transforms.SimpleCnnTrainer.Options { NumberOfEpochs = 1, NumberOfThreads = 1 })).Fit(train);
        using var cnn = model.LastTransformer;
        var testPixels = pixels.Fit(test).Transform(test);
        var files = test.GetColumn<ReadOnlyMemory<char>>(ImageFolderDataView.ImagePathColumnName).Select(f => f.ToString()).ToList();
        var report = LivePageBrowserTests.ExplorerOnlyReport(temp, ml, cnn.Model, testPixels, "folder", images: 3);
        var data = MlNetCnn.Reporting.CnnReport.CnnReportGenerator.Measure(ml, cnn.Model, testPixels, new() { ImageCount = 3 });

        using var browser = new HeadlessChromium();
        var page = LivePageBrowserTests.Open(browser, report);
        for (var i = 0; i < data.Samples.Count; i++)
        {
            var file = files[(int)data.Samples[i].Row];
            Assert.Contains("file " + file, page.Driver.FindElement(By.Id($"explorer-image-{i + 1}")).GetAttribute("aria-label"), StringComparison.Ordinal);
            page.ChooseImage(i);
            Assert.StartsWith($"Image {i + 1} (file {file};", page.Driver.FindElement(By.CssSelector(".explorer-input-caption")).Text, StringComparison.Ordinal);
            Assert.Matches(@"; true: \S+, pred: \S+", page.Driver.FindElement(By.CssSelector(".explorer-input-caption")).Text);
        }

        // The top crops are captioned with their file too, in the library's order.
        var conv1 = cnn.Model.ConvLayers[0];
        page.ClickUnit(conv1, 0, conv1.OutHeight / 2, conv1.OutWidth / 2);
        var top = ExplorerSection.TopPatches(data)![0][0];
        var shown = page.Driver.FindElements(By.CssSelector(".explorer-top .explorer-crop:not(.explorer-feature) figcaption")).Select(e => e.Text).ToList();
        Assert.Equal(top.Rows.Select((r, j) => files[(int)r] + ": " + top.Values[j].ToString("F3", CultureInfo.InvariantCulture)), shown);
    }

    /// <summary>"layer ch N" for every channel whose largest value over every unit of every test row the report scanned is 0.</summary>
    internal static List<string> DeadChannels(TrainedCnn model, IDataView test)
    {
        var layers = model.ConvLayers;
        var max = layers.Select(l => new float[l.OutChannels]).ToArray();
        foreach (var image in test.GetColumn<VBuffer<float>>(MlNetCnn.Transforms.SimpleCnnTrainer.Defaults.FeatureColumnName).Select(v => v.DenseValues().ToArray()))
        {
            var outputs = layers.Select(l => new float[l.MapLength]).ToArray();
            model.Infer(image, 1, null, [.. layers.Select(l => l.Index)], outputs);
            for (var l = 0; l < layers.Count; l++)
            {
                var area = layers[l].OutHeight * layers[l].OutWidth;
                for (var i = 0; i < outputs[l].Length; i++) max[l][i / area] = Math.Max(max[l][i / area], outputs[l][i]);
            }
        }

        return [.. layers.SelectMany(l => Enumerable.Range(0, l.OutChannels).Where(c => !(max[l.Index][c] > 0)).Select(c => $"{l.Name} ch {c}"))];
    }
}
