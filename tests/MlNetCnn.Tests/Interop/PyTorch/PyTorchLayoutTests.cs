using System.Diagnostics;
using MlNetCnn.Interop.PyTorch;
using MlNetCnn.Model;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Interop.PyTorch;

/// <summary>
/// State_dict layouts PyTorch writes besides the plain one: a non-contiguous tensor (a <c>.t()</c> view, a slice of a
/// bigger tensor) loads with its values, as PyTorch reads it (it was refused as "not a PyTorch state_dict"); a
/// big-endian file is refused naming its byte order (it loaded as garbage weights); an int64 tensor is refused with
/// advice about the value type, not the image size. Files are built by hand (no PyTorch needed) and, where Debian's
/// python3-torch is installed, by PyTorch itself.
/// </summary>
public class PyTorchLayoutTests
{
    private static readonly ConvNetArchitecture Default = new();

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void StridedAndOffsetTensorsLoadWithTheSameValuesAsContiguousOnes(int seed)
    {
        using var temp = new TempDirectory();
        var values = RandomWeights(seed);
        HandBuiltStateDict.Write(temp.Combine("plain.pth"), Contiguous(values));

        // fc1.weight and fc2.weight stored transposed (a .t() view: strides (1, rows)); conv2.bias every other element
        // of a storage twice its length. (A slice at an offset in a larger storage: TensorsPyTorchSavesAsViewsLoadWithTheirValues.)
        var strided = Contiguous(values).ToList();
        strided[Index(strided, "fc1.weight")] = Transposed("fc1.weight", values["fc1.weight"], 120, 768);
        strided[Index(strided, "fc2.weight")] = Transposed("fc2.weight", values["fc2.weight"], 10, 120);
        var spread = values["conv2.bias"].SelectMany(v => new[] { v, float.NaN }).ToArray();
        strided[Index(strided, "conv2.bias")] = HandBuiltStateDict.Float("conv2.bias", spread, 0, [12], [2]);
        HandBuiltStateDict.Write(temp.Combine("strided.pth"), strided);

        using var plain = PyTorchStateDict.Load(temp.Combine("plain.pth"));
        using var viewed = PyTorchStateDict.Load(temp.Combine("strided.pth"));
        AssertSameWeights(plain, viewed);
        // And the values are the ones written (not zeros, not the NaN between them).
        Assert.Equal(values["conv2.bias"], viewed.GetKernels("conv2").Bias);
    }

    [Fact]
    public void AViewReachingPastItsStorageIsRefusedNamingTheFile()
    {
        using var temp = new TempDirectory();
        var entries = Contiguous(RandomWeights(3)).ToList();
        entries[Index(entries, "fc2.bias")] = HandBuiltStateDict.Float("fc2.bias", new float[10], 5, [10], [1]);
        var path = temp.Combine("past.pth");
        HandBuiltStateDict.Write(path, entries);
        var e = Assert.Throws<PyTorchModelException>(() => PyTorchStateDict.Load(path));
        Assert.Contains("reaches past its storage", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Theory]
    [InlineData("big", true)]
    [InlineData("little", false)]
    [InlineData(null, false)]
    public void ABigEndianFileIsRefusedNotReadAsGarbage(string? byteOrder, bool refused)
    {
        using var temp = new TempDirectory();
        var values = RandomWeights(5);
        var path = temp.Combine("model.pth");
        HandBuiltStateDict.Write(path, Contiguous(values), byteOrder);
        if (!refused)
        {
            using var model = PyTorchStateDict.Load(path);
            Assert.Equal(values["fc2.bias"], Bias(model));
            return;
        }
        var e = Assert.Throws<PyTorchModelException>(() => PyTorchStateDict.Load(path));
        Assert.Contains("big-endian", e.Message);
        Assert.Contains("archive/byteorder", e.Message);
        Assert.False(e.IsInputSizeMismatch);
    }

    [Theory]
    [InlineData("fc1.weight")]
    [InlineData("conv2.weight")]
    public void AnInt64TensorIsRefusedWithAdviceAboutTheValueTypeNotTheImageSize(string key)
    {
        using var temp = new TempDirectory();
        var entries = Contiguous(RandomWeights(2)).ToList();
        var i = Index(entries, key);
        var longs = entries[i].Storage.Chunk(4).SelectMany(b => BitConverter.GetBytes((long)BitConverter.ToSingle(b))).ToArray();
        entries[i] = entries[i] with { StorageType = "LongStorage", Storage = longs };
        var path = temp.Combine("ints.pth");
        HandBuiltStateDict.Write(path, entries);
        var e = Assert.Throws<PyTorchModelException>(() => PyTorchStateDict.Load(path));
        Assert.Equal(key, e.Key);
        Assert.Contains("Int64", e.Message);
        Assert.Contains("floating point", e.Message);
        Assert.DoesNotContain("height", e.Message);
        Assert.False(e.IsInputSizeMismatch);
    }

    [PyTorchFact]
    public void TensorsPyTorchSavesAsViewsLoadWithTheirValues()
    {
        using var temp = new TempDirectory();
        var script = """
            import sys, torch
            torch.manual_seed(int(sys.argv[2]))
            shapes = {'conv1.weight': (6, 3, 5, 5), 'conv1.bias': (6,), 'conv2.weight': (12, 6, 5, 5), 'conv2.bias': (12,),
                      'fc1.weight': (120, 768), 'fc1.bias': (120,), 'fc2.weight': (10, 120), 'fc2.bias': (10,)}
            sd = {k: torch.randn(*s) for k, s in shapes.items()}
            torch.save(sd, sys.argv[1] + '/plain.pth')
            views = dict(sd)
            views['fc1.weight'] = sd['fc1.weight'].t().contiguous().t()
            views['fc2.weight'] = sd['fc2.weight'].t().contiguous().t()
            big = torch.randn(9, 3, 5, 5); big[2:8] = sd['conv1.weight']; views['conv1.weight'] = big[2:8]
            assert not views['fc1.weight'].is_contiguous()
            torch.save(views, sys.argv[1] + '/views.pth')
            """;
        File.WriteAllText(temp.Combine("make.py"), script);
        using (var python = Process.Start(new ProcessStartInfo(PythonTorch.Python!, [temp.Combine("make.py"), temp.Path, "11"]) { RedirectStandardError = true })!)
        {
            var error = python.StandardError.ReadToEnd();
            python.WaitForExit();
            Assert.True(python.ExitCode == 0, error);
        }
        using var plain = PyTorchStateDict.Load(temp.Combine("plain.pth"));
        using var viewed = PyTorchStateDict.Load(temp.Combine("views.pth"));
        AssertSameWeights(plain, viewed);
    }

    private static void AssertSameWeights(TrainedCnn expected, TrainedCnn actual)
    {
        foreach (var layer in new[] { "conv1", "conv2" })
        {
            Assert.Equal(expected.GetKernels(layer).Weights, actual.GetKernels(layer).Weights);
            Assert.Equal(expected.GetKernels(layer).Bias, actual.GetKernels(layer).Bias);
        }
        // fc1 and fc2 through what they compute: the same images give bit-identical probabilities.
        var random = new Random(4);
        var images = Enumerable.Range(0, 4 * Default.InputLength).Select(_ => random.NextSingle()).ToArray();
        var p = expected.PredictProbabilities(images, 4);
        Assert.All(p, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(p, actual.PredictProbabilities(images, 4));
    }

    private static float[] Bias(TrainedCnn model)
    {
        // fc2's bias is what a zero image's last layer adds to ReLU(fc1(…)); read it through the network's parameters.
        using var scope = TorchSharp.torch.NewDisposeScope();
        return model.Network.named_parameters().Single(p => p.name == "fc2.bias").parameter.data<float>().ToArray();
    }

    private static Dictionary<string, float[]> RandomWeights(int seed)
    {
        var random = new Random(seed);
        return PyTorchStateDict.ExpectedKeys(Default).ToDictionary(k => k.Key,
            k => Enumerable.Range(0, (int)k.Shape.Aggregate(1L, (a, b) => a * b)).Select(_ => random.NextSingle() - 0.5f).ToArray());
    }

    private static IReadOnlyList<HandBuiltStateDict.Entry> Contiguous(Dictionary<string, float[]> values) =>
        PyTorchStateDict.ExpectedKeys(Default).Select(k => HandBuiltStateDict.Contiguous(k.Key, values[k.Key], k.Shape)).ToArray();

    /// <summary>A [rows, cols] tensor stored column-major, as <c>w.t().contiguous().t()</c> saves it.</summary>
    private static HandBuiltStateDict.Entry Transposed(string key, float[] rowMajor, int rows, int cols)
    {
        var columnMajor = new float[rows * cols];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
                columnMajor[c * rows + r] = rowMajor[r * cols + c];
        return HandBuiltStateDict.Float(key, columnMajor, 0, [rows, cols], [1, rows]);
    }

    private static int Index(IReadOnlyList<HandBuiltStateDict.Entry> entries, string key) => entries.ToList().FindIndex(e => e.Key == key);
}
