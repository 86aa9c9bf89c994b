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
    /// </summary>
    Auto = 0,

    /// <summary>libtorch (TorchSharp), the engine the network was trained with.</summary>
    LibTorch = 1,

    /// <summary>ONNX Runtime; fails, naming the cause, when its native library cannot be loaded.</summary>
    OnnxRuntime = 2,
}
