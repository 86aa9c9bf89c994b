using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Tests.TestSupport;
using MlNetCnn.Data.Cifar10;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Cli.Tests.Commands;

/// <summary><c>export</c> and <c>report --model x.pth</c>: PyTorch state_dicts through the command line.</summary>
[Collection("console")]
public class PyTorchCommandTests
{
    private static Task<(int Code, string Output)> Run(params string[] args) => InProcessCli.Run(args);

    /// <summary>
    /// A model trained one epoch on a generated image folder (classes checker, horizontal, vertical) and exported as a
    /// state_dict: the folder, the .pth and what export printed.
    /// </summary>
    private static async Task<(string Images, string Pth, string ExportOutput)> StateDictOfImages(TempDirectory temp, int perClass, int height, int width)
    {
        var images = temp.Combine("imgs");
        ImageFolderWriter.WriteClasses(images, perClass, height, width, grayscale: false);
        var model = temp.Combine("m.zip");
        var pth = temp.Combine("m.pth");
        CliAssert.Exited(ExitCodes.Success, await Run("train", "--data", images, "--epochs", "1", "--output", model, "-q"));
        return (images, pth, CliAssert.Exited(ExitCodes.Success, await Run("export", "--model", model, "--output", pth)));
    }

    [Fact]
    public async Task ExportWritesAStateDictThatReportAndExportReadBack()
    {
        using var temp = new TempDirectory();
        var data = SharedData.CifarDirectory;
        var model = temp.Combine("model.zip");
        var pth = temp.Combine("simplecnn.pth");
        Assert.Equal(ExitCodes.Success, (await Run("train", "--data", data, "--epochs", "1", "--max-train", "40", "--output", model, "-q")).Code);

        var (code, output) = await Run("export", "--model", model, "--output", pth);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("conv1.weight, conv1.bias, conv2.weight, conv2.bias, fc1.weight, fc1.bias, fc2.weight, fc2.bias", output);
        Assert.Equal(ExitCodes.OutputExists, (await Run("export", "--model", model, "--output", pth)).Code);

        (code, output) = await Run("report", "--model", pth, "--data", data, "--output", temp.Combine("report.html"));
        Assert.True(code == ExitCodes.Success, output);
        Assert.Contains("PyTorch state_dict", output);
        Assert.Contains("Class names from the data: airplane, automobile", output);

        (code, output) = await Run("export", "--model", pth, "--output", temp.Combine("back.zip"), "--class-names", "a,b,c,d,e,f,g,h,i,j");
        Assert.True(code == ExitCodes.Success, output);
        (code, output) = await Run("report", "--model", pth, "--data", data, "--class-names", "a,b", "--output", temp.Combine("r2.html"));
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("--class-names gives 2 names but the model has 10 outputs", output);

        File.WriteAllText(temp.Combine("bad.pth"), "not torch");
        (code, output) = await Run("report", "--model", temp.Combine("bad.pth"), "--data", data, "--output", temp.Combine("r3.html"));
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("bad.pth", output);
    }

    [Fact]
    public async Task PyTorchModelWithOtherClassOrderIsAlignedByName()
    {
        using var temp = new TempDirectory();
        var (images, pth, _) = await StateDictOfImages(temp, 8, 32, 32);

        // The folder sorts checker, horizontal, vertical; naming the outputs otherwise remaps the data's labels by name.
        var (code, output) = await Run("report", "--model", pth, "--data", images, "--class-names", "vertical,checker,horizontal", "--output", temp.Combine("r.html"));
        Assert.True(code == ExitCodes.Success, output);
        (code, output) = await Run("report", "--model", pth, "--data", images, "--class-names", "x,y,z", "--output", temp.Combine("r2.html"));
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("None of the data's classes (checker, horizontal, vertical) is a class of the model (its classes: x, y, z)", output);
    }

    [Fact]
    public async Task ZipToPthToZipWithDataKeepsClassNamesPredictionsAndReport()
    {
        using var temp = new TempDirectory();
        var data = SharedData.CifarDirectory;
        var model = temp.Combine("model.zip");
        var pth = temp.Combine("simplecnn.pth");
        var back = temp.Combine("back.zip");
        Assert.Equal(ExitCodes.Success, (await Run("train", "--data", data, "--epochs", "1", "--max-train", "40", "--output", model, "-q")).Code);
        var (code, output) = await Run("export", "--model", model, "--output", pth);
        Assert.True(code == ExitCodes.Success, output);
        // The way back is spelled out, with the names the state_dict cannot hold.
        Assert.Contains("--class-names airplane,automobile,bird,cat,deer,dog,frog,horse,ship,truck", output);

        (code, output) = await Run("export", "--model", pth, "--output", back, "--data", data);
        Assert.True(code == ExitCodes.Success, output);
        Assert.Contains("Class names from the data: airplane, automobile", output);
        Assert.Contains("3×32×32 input; classes airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck", output);

        var ml = new MLContext(seed: 1);
        using var original = ml.Model.LoadSimpleCnn(model);
        using var roundTripped = ml.Model.LoadSimpleCnn(back);
        Assert.Equal(original.Model.ClassNames, roundTripped.Model.ClassNames);
        Assert.Equal(original.Model.Architecture.InputHeight, roundTripped.Model.Architecture.InputHeight);
        Assert.Equal(original.Model.Architecture.InputWidth, roundTripped.Model.Architecture.InputWidth);
        var test = ml.Data.LoadFromCifar10(data, Cifar10Split.Test, 64);
        float[][] Scores(ITransformer t) => t.Transform(test).GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();
        var expected = Scores(original);
        var actual = Scores(roundTripped);
        Assert.Equal(64, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i]);
        uint[] Predicted(ITransformer t) => t.Transform(test).GetColumn<uint>("PredictedLabel").ToArray();
        Assert.Equal(Predicted(original), Predicted(roundTripped));

        // The same report, byte for byte once the model's file name and Plotly's random element ids are set aside,
        // except the training record (the header's epochs/batch size/seed line and the training curves): a state_dict
        // holds weights only, so how the model was trained stays behind.
        static string Normalise(string page, string modelPath) =>
            System.Text.RegularExpressions.Regex.Replace(page.Replace(modelPath, "MODEL", StringComparison.Ordinal), "[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", "ID");
        static string WithoutTrainingLine(string section) =>
            System.Text.RegularExpressions.Regex.Replace(section, @"Training: \d+ epoch\(s\), batch size \d+, learning rate [^,]+, seed \d+\.", "TRAINING");
        Assert.Equal(ExitCodes.Success, (await Run("report", "--model", model, "--data", data, "--images", "0,1,2", "--output", temp.Combine("a.html"), "-q")).Code);
        Assert.Equal(ExitCodes.Success, (await Run("report", "--model", back, "--data", data, "--images", "0,1,2", "--output", temp.Combine("b.html"), "-q")).Code);
        var pageA = Normalise(File.ReadAllText(temp.Combine("a.html")), model);
        var pageB = Normalise(File.ReadAllText(temp.Combine("b.html")), back);
        Assert.True(pageA.Length > 100_000, "the report is a real page");
        string[] Sections(string page) => System.Text.RegularExpressions.Regex.Split(page, "(?=<section id=)");
        var (sectionsA, sectionsB) = (Sections(pageA), Sections(pageB));
        Assert.True(sectionsA.Length > 5, "the report has its sections");
        Assert.Equal(sectionsA.Length, sectionsB.Length);
        var curves = 0;
        for (var i = 0; i < sectionsA.Length; i++)
        {
            if (sectionsA[i].Contains("Training curves</h2>", StringComparison.Ordinal))
            {
                curves++;
                Assert.Contains("The model carries no training history", sectionsB[i]);
                continue;
            }
            Assert.Equal(WithoutTrainingLine(sectionsA[i]), WithoutTrainingLine(sectionsB[i]));
        }
        Assert.Equal(1, curves);
    }

    [Fact]
    public async Task ExportFromAStateDictWithoutClassNamesIsRefusedNamingBothOptions()
    {
        using var temp = new TempDirectory();
        var model = temp.Combine("model.zip");
        var pth = temp.Combine("simplecnn.pth");
        Assert.Equal(ExitCodes.Success, (await Run("train", "--data", SharedData.CifarDirectory, "--epochs", "1", "--max-train", "20", "--output", model, "-q")).Code);
        Assert.Equal(ExitCodes.Success, (await Run("export", "--model", model, "--output", pth, "-q")).Code);

        var (code, output) = await Run("export", "--model", pth, "--output", temp.Combine("back.zip"));
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("holds no class names: pass --class-names", output);
        Assert.Contains("or --data", output);
        Assert.False(File.Exists(temp.Combine("back.zip")));

        // The state_dict options are refused for a model file of ours, which has its names and size.
        (code, output) = await Run("export", "--model", model, "--output", temp.Combine("x.pth"), "--data", SharedData.CifarDirectory);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("--data applies to a PyTorch state_dict source", output);
        // Too many or too few names: the count, the names and the model's outputs.
        (code, output) = await Run("export", "--model", pth, "--output", temp.Combine("back.zip"), "--class-names", "a,b");
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("--class-names gives 2 names (a, b) but the model has 10 outputs", output);
    }

    [Fact]
    public async Task NonSquareStateDictTakesItsSizeFromTheDataOrNamesImageSize()
    {
        using var temp = new TempDirectory();
        var (images, pth, exported) = await StateDictOfImages(temp, 6, 48, 40);
        Assert.Contains("--class-names checker,horizontal,vertical --image-size 48x40", exported);

        var (code, output) = await Run("export", "--model", pth, "--output", temp.Combine("a.zip"), "--class-names", "checker,horizontal,vertical");
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("Pass --image-size HEIGHTxWIDTH", output);
        Assert.False(File.Exists(temp.Combine("a.zip")));

        (code, output) = await Run("export", "--model", pth, "--output", temp.Combine("b.zip"), "--data", images);
        Assert.True(code == ExitCodes.Success, output);
        Assert.Contains("3×48×40 input (the data's images)", output);
        (code, output) = await Run("export", "--model", pth, "--output", temp.Combine("c.zip"), "--class-names", "checker,horizontal,vertical", "--image-size", "48x40");
        Assert.True(code == ExitCodes.Success, output);
        var ml = new MLContext(seed: 1);
        foreach (var file in new[] { "b.zip", "c.zip" })
        {
            using var loaded = ml.Model.LoadSimpleCnn(temp.Combine(file));
            Assert.Equal((48, 40), (loaded.Model.Architecture.InputHeight, loaded.Model.Architecture.InputWidth));
            Assert.Equal(["checker", "horizontal", "vertical"], loaded.Model.ClassNames);
        }
    }

    [Fact]
    public async Task ReportExplainAndExperimentTakeANonSquareStateDictsSizeFromTheDataAndOtherwiseNameImageSize()
    {
        using var temp = new TempDirectory();
        var images = temp.Combine("grey40x56");
        ImageFolderWriter.WriteClasses(images, 6, 40, 56, grayscale: true);
        var model = temp.Combine("m.zip");
        var pth = temp.Combine("c.pth");
        CliAssert.Exited(ExitCodes.Success, await Run("train", "--data", images, "--epochs", "1", "--output", model, "-q"));
        CliAssert.Exited(ExitCodes.Success, await Run("export", "--model", model, "--output", pth));

        foreach (var verb in new[] { new[] { "report" }, ["explain", "--methods", "saliency"], ["experiment", "receptive-field", "--quick", "--threads", "1"] })
        {
            var (code, output) = await Run([.. verb, "--model", pth, "--data", images, "--output", temp.Combine($"{verb[0]}.html"), "--class-names", "checker,horizontal,vertical"]);
            Assert.True(code == ExitCodes.Success, $"{verb[0]}: {output}");
            Assert.Contains("1×40×56 input (the data's images)", output);
            Assert.True(File.Exists(temp.Combine($"{verb[0]}.html")), verb[0]);
        }

        // Data of another size, which fc1 cannot replace for non-square images: the message names the option to use.
        var square = temp.Combine("grey32");
        ImageFolderWriter.WriteClasses(square, 6, 32, 32, grayscale: true);
        foreach (var verb in new[] { "report", "explain" })
        {
            var (code, output) = await Run(verb, "--model", pth, "--data", square, "--output", temp.Combine($"{verb}-32.html"));
            Assert.Equal(ExitCodes.InvalidInput, code);
            Assert.Contains("The data's images are 32×32: pass --image-size HEIGHTxWIDTH", output);
        }

        var (sized, sizedOutput) = await Run("report", "--model", pth, "--data", square, "--image-size", "40x56", "--output", temp.Combine("sized.html"));
        Assert.True(sized == ExitCodes.Success, sizedOutput);
        Assert.Contains("1×40×56 input (--image-size)", sizedOutput);
    }

    [Fact]
    public async Task StateDictWhoseWeightsDoNotFitTheDatasImageSizeFallsBackToFc1()
    {
        using var temp = new TempDirectory();
        var (_, pth, _) = await StateDictOfImages(temp, 6, 32, 32);
        var other = temp.Combine("other");
        ImageFolderWriter.WriteClasses(other, 6, 48, 40, grayscale: false);

        // The data's 48×40 images do not fit fc1 of a 32×32 model: the size comes from fc1, the class names from the data.
        var output = CliAssert.Exited(ExitCodes.Success, await Run("export", "--model", pth, "--output", temp.Combine("back.zip"), "--data", other),
            "3×32×32 input (size derived from fc1");
        Assert.DoesNotContain("the data's images", output);
        using var loaded = new MLContext(seed: 1).Model.LoadSimpleCnn(temp.Combine("back.zip"));
        Assert.Equal((32, 32), (loaded.Model.Architecture.InputHeight, loaded.Model.Architecture.InputWidth));
        Assert.Equal(["checker", "horizontal", "vertical"], loaded.Model.ClassNames);
    }

    [Fact]
    public async Task ExportHelpSpeaksOfExport()
    {
        var (code, output) = await Run("export", "--help");
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("--data", output);
        Assert.DoesNotContain("default: the data's classes", output);
        Assert.DoesNotContain("Image-folder data: resize", output);
        Assert.Contains("a state_dict does not store it", output);
    }

    [PyTorchFact]
    public async Task StateDictSavedByTheSeedsPyTorchOpensInReportAndOurExportLoadsInTheSeedsClass()
    {
        using var temp = new TempDirectory();
        var train = new MLContext(1).Data.LoadFromCifar10(SharedData.CifarDirectory, Cifar10Split.Train, 16);
        var pixels = train.GetColumn<VBuffer<float>>("Features").SelectMany(v => v.DenseValues()).ToArray();
        var labels = train.GetColumn<uint>("Label").Select(k => (long)k - 1).ToArray();
        File.WriteAllBytes(temp.Combine("x.f32"), pixels.SelectMany(BitConverter.GetBytes).ToArray());
        File.WriteAllBytes(temp.Combine("y.i64"), labels.SelectMany(BitConverter.GetBytes).ToArray());
        var pth = temp.Combine("seed.pth");
        PythonTorch.Run("train", temp.Combine("x.f32"), temp.Combine("y.i64"), "16", "4", "1", pth, temp.Path);

        var (code, output) = await Run("report", "--model", pth, "--data", SharedData.CifarDirectory, "--output", temp.Combine("report.html"));
        Assert.True(code == ExitCodes.Success, output);

        var zip = temp.Combine("ours.zip");
        Assert.Equal(ExitCodes.Success, (await Run("export", "--model", pth, "--output", zip, "--data", SharedData.CifarDirectory, "-q")).Code);
        var back = temp.Combine("back.pth");
        Assert.Equal(ExitCodes.Success, (await Run("export", "--model", zip, "--output", back, "-q")).Code);
        PythonTorch.Run("forward", back, temp.Combine("x.f32"), "16", temp.Path);
        Assert.True(new FileInfo(temp.Combine("logits.f32")).Length == 16 * 10 * 4);
    }
}
