using System.Runtime.InteropServices;

namespace MlNetCnn.Native;

/// <summary>
/// Chooses libtorch's CPU convolution kernels before the library runs a convolution. oneDNN and NNPACK are off
/// unless the user opts in with <c>MLNETCNN_ONEDNN=1</c>.
/// </summary>
/// <remarks>
/// Why: libtorch 2.10's bundled oneDNN 3.7.1 computes conv backward_data with its jit:avx512_core kernel wrongly on
/// some x86-64 CPUs (seen on AMD EPYC Zen 5 virtual machines whose CPUID hides cache sizes): gradients come back NaN
/// or wrong at random steps, so training diverges and is not reproducible. PyTorch's own workaround is
/// <c>torch.backends.mkldnn.enabled = False</c>; TorchSharp has no such switch, so we call the same
/// <c>at::Context</c> setters that libtorch_cpu.so exports. NNPACK goes off too: on CPUs it does not recognise it
/// prints "Could not initialize NNPACK" once per convolution, and the reference path does the same arithmetic.
/// This file is the only place that touches these native symbols.
/// </remarks>
internal static class ConvolutionBackends
{
    /// <summary>Environment variable that keeps oneDNN convolutions on (faster inference, at the risk above).</summary>
    public const string OneDnnOptInVariable = "MLNETCNN_ONEDNN";

    private const string LibTorchCpu = "libtorch_cpu";

    /// <summary>True when the user asked for oneDNN with <c>MLNETCNN_ONEDNN=1</c> (read once per process).</summary>
    public static bool OneDnnOptedIn { get; } = Environment.GetEnvironmentVariable(OneDnnOptInVariable) is "1" or "true" or "TRUE" or "True";

    /// <summary>
    /// Sets libtorch's process-wide convolution switches: oneDNN off (unless opted in), NNPACK off. Cheap and
    /// idempotent; every entry point that creates or configures a network calls it, so the setting holds before
    /// the first convolution whichever entry point a program uses first, and even if other code flipped it.
    /// </summary>
    /// <exception cref="NativeRuntimeException">libtorch lacks the switches (another libtorch build).</exception>
    public static void Apply()
    {
        // Load libtorch first (with a clear error when it cannot load), then bind to the copy TorchSharp loaded.
        TorchNativeLibrary.EnsureLoaded();
        try
        {
            var context = NativeMethods.GlobalContext();
            NativeMethods.SetUserEnabledMkldnn(context, OneDnnOptedIn);
            NativeMethods.SetUserEnabledNnpack(context, false);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            throw new NativeRuntimeException(
                "MlNetCnn could not turn libtorch's oneDNN convolutions off: libtorch_cpu does not export " +
                "at::globalContext / at::Context::setUserEnabledMkldnn / setUserEnabledNNPACK (" + e.Message + "). " +
                "oneDNN's convolution backward returns NaN on some CPUs, so MlNetCnn will not run it silently. " +
                $"Use the libtorch build TorchSharp-cpu 0.107 ships, or set {OneDnnOptInVariable}=1 to accept libtorch's defaults.", e);
        }
    }

    /// <summary>Whether libtorch will currently pick oneDNN for convolutions (libtorch's own getter).</summary>
    public static bool IsOneDnnEnabled
    {
        get
        {
            TorchNativeLibrary.EnsureLoaded();
            return NativeMethods.UserEnabledMkldnn(NativeMethods.GlobalContext());
        }
    }

    /// <summary>Whether libtorch will currently pick NNPACK for convolutions (libtorch's own getter).</summary>
    public static bool IsNnpackEnabled
    {
        get
        {
            TorchNativeLibrary.EnsureLoaded();
            return NativeMethods.UserEnabledNnpack(NativeMethods.GlobalContext());
        }
    }

    /// <summary>Sets the switches directly, bypassing the opt-in; tests use it to undo <see cref="Apply"/>.</summary>
    internal static void SetForTesting(bool oneDnn, bool nnpack)
    {
        TorchNativeLibrary.EnsureLoaded();
        var context = NativeMethods.GlobalContext();
        NativeMethods.SetUserEnabledMkldnn(context, oneDnn);
        NativeMethods.SetUserEnabledNnpack(context, nnpack);
    }

    // Itanium C++ ABI: a member function takes `this` as its first argument; bool travels as one byte.
    // libtorch_cpu.so is already loaded by TorchSharp; the loader matches the name to its SONAME and returns that copy.
    private static class NativeMethods
    {
        [DllImport(LibTorchCpu, EntryPoint = "_ZN2at13globalContextEv")]
        public static extern IntPtr GlobalContext();

        [DllImport(LibTorchCpu, EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
        public static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

        [DllImport(LibTorchCpu, EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
        [return: MarshalAs(UnmanagedType.U1)]
        public static extern bool UserEnabledMkldnn(IntPtr context);

        [DllImport(LibTorchCpu, EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
        public static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

        [DllImport(LibTorchCpu, EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
        [return: MarshalAs(UnmanagedType.U1)]
        public static extern bool UserEnabledNnpack(IntPtr context);
    }
}
