using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace MlNetCnn.Training;

/// <summary>
/// Adam over one flat buffer: every parameter becomes a view into one float32 vector and its gradient a view into a
/// second, so a step is one pass over the buffers for the whole model instead of about eight native calls per
/// parameter tensor (at batch 4 the per-parameter loop was a third of the step). It performs the element-wise
/// operations of TorchSharp's <c>optim.Adam</c> (no weight decay, no AMSGrad) with the same scalars in the same order;
/// see <see cref="Step"/> for the one rounding that differs.
/// </summary>
/// <remarks>
/// Backward accumulates into an existing gradient in place, so gradients stay views of the flat buffer as long as
/// nobody replaces <c>param.grad</c>; <see cref="ZeroGrad"/> zeroes them with one call. <see cref="Dispose"/> gives
/// each parameter its own storage again, so a trained model holds no reference to the optimizer's buffers.
/// </remarks>
internal sealed class FlatAdam : IDisposable
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Parameter)> parameters;
    private readonly Tensor values;
    private readonly Tensor gradients;
    private readonly Tensor expAvg;
    private readonly Tensor expAvgSq;
    private readonly double learningRate;
    private long step;
    // The buffers' float32 data, read and written by Step in place: libtorch allocated them once and never moves them.
    private readonly IntPtr valuesData, gradientsData, expAvgData, expAvgSqData;
    private readonly long length;

    public FlatAdam(IEnumerable<(string Name, TorchSharp.Modules.Parameter Parameter)> namedParameters, double learningRate)
    {
        parameters = namedParameters.Where(p => p.Parameter.requires_grad).ToArray();
        if (parameters.Count == 0) throw new ArgumentException("The model has no trainable parameters.", nameof(namedParameters));
        if (parameters.Any(p => p.Parameter.dtype != ScalarType.Float32))
            throw new ArgumentException("Flat Adam needs float32 parameters.", nameof(namedParameters));
        this.learningRate = learningRate;
        var total = parameters.Sum(p => p.Parameter.numel());
        values = empty(total, ScalarType.Float32);
        gradients = zeros(total, ScalarType.Float32);
        expAvg = zeros(total, ScalarType.Float32);
        expAvgSq = zeros(total, ScalarType.Float32);
        length = total;
        (valuesData, gradientsData, expAvgData, expAvgSqData) = (DataPointer(values), DataPointer(gradients), DataPointer(expAvg), DataPointer(expAvgSq));

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long offset = 0;
        foreach (var (_, parameter) in parameters)
        {
            var count = parameter.numel();
            var value = values.narrow(0, offset, count).view(parameter.shape);
            value.copy_(parameter);
            parameter.set_(value);
            parameter.grad = gradients.narrow(0, offset, count).view(parameter.shape);
            offset += count;
        }
    }

    private static IntPtr DataPointer(Tensor buffer)
    {
        using var storage = buffer.storage<float>();
        return storage.data_ptr();
    }

    /// <summary>All gradients to zero in one call (backward then accumulates into the views).</summary>
    public void ZeroGrad() => gradients.zero_();

    /// <summary>
    /// One Adam update of every parameter, TorchSharp's per-parameter arithmetic (<c>exp_avg.mul_(β1).add_(g, 1−β1)</c>,
    /// <c>exp_avg_sq.mul_(β2).addcmul_(g, g, 1−β2)</c>, <c>denom = sqrt(exp_avg_sq) / √bc2 + ε</c>,
    /// <c>param.addcdiv_(exp_avg, denom, −lr/bc1)</c>) in one pass over the four buffers, where the libtorch calls it
    /// replaces each swept the whole buffer (3.5–5.4× faster than <c>optim.Adam</c>: the benchmarks' <c>optimizer</c>
    /// mode; libtorch's square root was slowest on the zero moments of dead units). Every element goes through the same float32
    /// operations as libtorch's AVX2 kernel (fused multiply-adds where they fuse), except that the square root is the
    /// processor's correctly rounded one, where that kernel is off by one unit in the last place in about 3 elements in
    /// 10,000. The result is the same on every machine; libtorch's depends on the kernel it dispatches to (its AVX-512
    /// kernel orders the operations otherwise and rounds about 7 elements in 1,000 differently).
    /// </summary>
    public unsafe void Step()
    {
        step++;
        var biasCorrection1 = 1 - Math.Pow(Beta1, step);
        var biasCorrection2 = 1 - Math.Pow(Beta2, step);
        // libtorch casts each Scalar to the tensor's float32 before the element-wise work.
        var b1 = (float)Beta1;
        var a1 = (float)(1 - Beta1);
        var b2 = (float)Beta2;
        var a2 = (float)(1 - Beta2);
        var c2 = (float)Math.Sqrt(biasCorrection2);
        var eps = (float)Epsilon;
        var stepSize = (float)-(learningRate / biasCorrection1);
        var p = (float*)valuesData;
        var g = (float*)gradientsData;
        var m = (float*)expAvgData;
        var v = (float*)expAvgSqData;
        long i = 0;
        var fused = Fma.IsSupported;
        if (fused && Vector256.IsHardwareAccelerated)
        {
            var (vb1, va1, vb2, va2) = (Vector256.Create(b1), Vector256.Create(a1), Vector256.Create(b2), Vector256.Create(a2));
            var (vc2, veps, vstep) = (Vector256.Create(c2), Vector256.Create(eps), Vector256.Create(stepSize));
            for (; i + Vector256<float>.Count <= length; i += Vector256<float>.Count)
            {
                var gi = Vector256.Load(g + i);
                var mi = Fma.MultiplyAdd(gi, va1, Vector256.Load(m + i) * vb1);
                var vi = Fma.MultiplyAdd(va2 * gi, gi, Vector256.Load(v + i) * vb2);
                mi.Store(m + i);
                vi.Store(v + i);
                (Vector256.Load(p + i) + vstep * mi / (Vector256.Sqrt(vi) / vc2 + veps)).Store(p + i);
            }
        }
        for (; i < length; i++)
        {
            var gi = g[i];
            var mi = m[i] = fused ? MathF.FusedMultiplyAdd(gi, a1, m[i] * b1) : m[i] * b1 + a1 * gi;
            var vi = v[i] = fused ? MathF.FusedMultiplyAdd(a2 * gi, gi, v[i] * b2) : v[i] * b2 + a2 * gi * gi;
            p[i] += stepSize * mi / (MathF.Sqrt(vi) / c2 + eps);
        }
    }

    /// <summary>Name of the first parameter holding NaN or infinity, or null when all are finite (three calls when they are).</summary>
    public string? FirstNonFiniteParameter()
    {
        using (var finite = values.isfinite().all())
            if (finite.item<bool>()) return null;
        foreach (var (name, parameter) in parameters)
        {
            using var finite = parameter.isfinite().all();
            if (!finite.item<bool>()) return name;
        }
        return null;
    }

    public void Dispose()
    {
        using (no_grad())
        {
            foreach (var (_, parameter) in parameters)
            {
                using var own = parameter.detach().clone();
                parameter.set_(own);
                using var gradient = parameter.grad;
                if (gradient is not null) parameter.grad = gradient.clone();
            }
        }
        values.Dispose();
        gradients.Dispose();
        expAvg.Dispose();
        expAvgSq.Dispose();
    }
}
