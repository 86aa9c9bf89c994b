using MlNetCnn.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetCnn.Training;

/// <summary>
/// Adam over one flat buffer: every parameter becomes a view into one float32 vector and its gradient a view into a
/// second, so a step is seven native calls for the whole model instead of about eight per parameter tensor (at batch
/// 4 the per-parameter loop was a third of the step). It performs the same element-wise operations, with the same
/// scalars and in the same order, as TorchSharp's <c>optim.Adam</c> (no weight decay, no AMSGrad), so the weights
/// it produces are equal to that optimizer's.
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

    // Every Scalar here is held (see HeldScalars): constants by this optimizer, per-step ones in using variables.
    private readonly Scalar beta1 = Beta1;
    private readonly Scalar oneMinusBeta1 = 1 - Beta1;
    private readonly Scalar beta2 = Beta2;
    private readonly Scalar oneMinusBeta2 = 1 - Beta2;
    private readonly Scalar epsilon = Epsilon;

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

    /// <summary>All gradients to zero in one call (backward then accumulates into the views).</summary>
    public void ZeroGrad() => gradients.zero_();

    /// <summary>One Adam update of every parameter: TorchSharp's per-parameter arithmetic on the whole buffer.</summary>
    public void Step()
    {
        step++;
        var biasCorrection1 = 1 - Math.Pow(Beta1, step);
        var biasCorrection2 = 1 - Math.Pow(Beta2, step);
        using var noGrad = no_grad();
        using Scalar correction2 = Math.Sqrt(biasCorrection2);
        using Scalar stepSize = -(learningRate / biasCorrection1);
        expAvg.mul_(beta1).add_(gradients, alpha: oneMinusBeta1);
        expAvgSq.mul_(beta2).addcmul_(gradients, gradients, value: oneMinusBeta2);
        using var denominator = expAvgSq.sqrt();
        denominator.div_(correction2).add_(epsilon, HeldScalars.One);
        values.addcdiv_(expAvg, denominator, value: stepSize);
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
        foreach (var scalar in new[] { beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon }) scalar.Dispose();
        expAvg.Dispose();
        expAvgSq.Dispose();
    }
}
