using MlNetCnn.Interop.PyTorch;
using MlNetCnn.Model;
using static TorchSharp.torch;

namespace MlNetCnn.Tests.TestSupport;

/// <summary>
/// A trained model with one conv1 channel's kernel and bias changed through the public API: written to a .pth, edited,
/// and loaded back — the library's side of a kernel edit the live page makes, and the way tests make a dead channel.
/// </summary>
internal static class Conv1KernelEdit
{
    /// <summary>
    /// The model with conv1 channel <paramref name="channel"/> given <paramref name="kernel"/>(i) at each of its
    /// input channels × k × k weights (planar order) and <paramref name="bias"/>.
    /// </summary>
    public static TrainedCnn Load(TrainedCnn trained, TempDirectory temp, int channel, Func<int, float> kernel, float bias)
    {
        var a = trained.Architecture;
        var original = temp.Combine($"conv1-{channel}-original.pth");
        var edited = temp.Combine($"conv1-{channel}-edited.pth");
        PyTorchStateDict.Save(trained, original);
        using (var copy = PyTorchStateDict.Load(original, trained.ClassNames, a.InputHeight, a.InputWidth))
        {
            var conv = copy.Network.ConvLayers[0];
            var (weights, biases) = copy.GetKernels(copy.ConvLayers[0].Name);
            var per = a.InputChannels * a.KernelSize * a.KernelSize;
            for (var i = 0; i < per; i++) weights[channel * per + i] = kernel(i);
            biases[channel] = bias;
            using (no_grad())
            {
                using var wt = TensorData.FromSpan(weights, conv.weight!.shape);
                using var bt = TensorData.FromSpan(biases, conv.bias!.shape);
                conv.weight!.copy_(wt);
                conv.bias!.copy_(bt);
            }

            PyTorchStateDict.Save(copy, edited);
        }

        return PyTorchStateDict.Load(edited, trained.ClassNames, a.InputHeight, a.InputWidth);
    }

    /// <summary>
    /// The model with conv1 channel <paramref name="channel"/> dead: kernel zeroed and, with <paramref name="bias"/> ≤ 0,
    /// 0 at every unit of every image (ReLU of a constant ≤ 0).
    /// </summary>
    public static TrainedCnn DeadChannel(TrainedCnn trained, TempDirectory temp, int channel, float bias) =>
        Load(trained, temp, channel, _ => 0f, bias);
}
