using MlNetCnn.Interop.PyTorch;
using MlNetCnn.Model;
using static TorchSharp.torch;

namespace MlNetCnn.Tests.TestSupport;

/// <summary>A trained model with one conv1 channel made dead through the API: its kernel zeroed and its bias set, written to a .pth and loaded back.</summary>
internal static class DeadChannelModel
{
    /// <summary>With <paramref name="bias"/> ≤ 0 the channel is 0 at every unit of every image (ReLU of a constant ≤ 0).</summary>
    public static TrainedCnn Load(TrainedCnn trained, TempDirectory temp, int channel, float bias)
    {
        var a = trained.Architecture;
        PyTorchStateDict.Save(trained, temp.Combine("trained.pth"));
        using (var copy = PyTorchStateDict.Load(temp.Combine("trained.pth"), trained.ClassNames, a.InputHeight, a.InputWidth))
        {
            var conv = copy.Network.ConvLayers[0];
            var (weights, biases) = copy.GetKernels(copy.ConvLayers[0].Name);
            var per = a.InputChannels * a.KernelSize * a.KernelSize;
            Array.Clear(weights, channel * per, per);
            biases[channel] = bias;
            using (no_grad())
            {
                using var wt = TensorData.FromSpan(weights, conv.weight!.shape);
                using var bt = TensorData.FromSpan(biases, conv.bias!.shape);
                conv.weight!.copy_(wt);
                conv.bias!.copy_(bt);
            }

            PyTorchStateDict.Save(copy, temp.Combine("dead.pth"));
        }

        return PyTorchStateDict.Load(temp.Combine("dead.pth"), trained.ClassNames, a.InputHeight, a.InputWidth);
    }
}
