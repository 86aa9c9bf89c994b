namespace MlNetCnn.Model;

/// <summary>
/// Which engine runs a trained network's forward-only work (scoring, feature maps, occlusion, faithfulness curves, the
/// report's scan). Training and gradient-based attribution always run on libtorch, which has autograd.
/// </summary>
public enum InferenceEngine
{
    /// <summary>
    /// ONNX Runtime, in process, on the network's own ONNX export (several times faster than libtorch with its oneDNN
    /// convolutions off, see README "Platform notes"); libtorch when ONNX Runtime cannot be loaded on this machine.
    /// Also for models evaluated once on a few hundred images (the experiments' per-seed networks): building the ONNX
    /// export and its session costs less than ONNX Runtime saves on those images (measured on <c>experiment all</c>
    /// with one seed, docs/benchmarks.md "Where experiment all's CPU goes"), so Auto has no size rule.
    /// </summary>
    Auto = 0,

    /// <summary>libtorch (TorchSharp), the engine the network was trained with.</summary>
    LibTorch = 1,

    /// <summary>ONNX Runtime; fails, naming the cause, when its native library cannot be loaded.</summary>
    OnnxRuntime = 2,
}
