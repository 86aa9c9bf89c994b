using MlNetCnn.Native;
using TorchSharp;

namespace MlNetCnn.Training;

/// <summary>
/// Process-wide libtorch settings that correctness and determinism depend on: the convolution kernels (see
/// <see cref="ConvolutionBackends"/>), the RNG seed and the thread count.
/// </summary>
internal static class TorchRuntime
{
    private static readonly object Gate = new();

    /// <summary>Seeds libtorch's generator and sets its intra-op threads (when given).</summary>
    public static void Configure(int seed, int? numberOfThreads)
    {
        lock (Gate)
        {
            ConvolutionBackends.Apply(); // loads libtorch (naming the cause if it cannot) and picks safe kernels
            if (numberOfThreads is { } threads && torch.get_num_threads() != threads)
                torch.set_num_threads(threads);
            torch.random.manual_seed(seed);
        }
    }
}
