using System.Globalization;

namespace MlNetCnn.Training;

/// <summary>
/// Training produced a non-finite loss or weights. Thrown at once, so no model trained into NaN is returned or saved.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the step at which training stopped.</summary>
    /// <param name="epoch">1-based epoch.</param>
    /// <param name="batch">1-based batch within the epoch.</param>
    /// <param name="loss">The loss of that batch (NaN or infinite), or the last loss when a weight became non-finite.</param>
    /// <param name="what">What was found non-finite, e.g. "the training loss" or "parameter conv2.weight".</param>
    /// <param name="learningRate">The learning rate used, quoted in the advice.</param>
    /// <param name="oneDnnEnabled">Whether oneDNN convolutions were on (an opt-in), quoted in the advice.</param>
    public TrainingDivergedException(int epoch, int batch, double loss, string what, double learningRate, bool oneDnnEnabled)
        : base(Describe(epoch, batch, loss, what, learningRate, oneDnnEnabled))
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
    }

    /// <summary>1-based epoch in which training diverged.</summary>
    public int Epoch { get; }

    /// <summary>1-based batch (within <see cref="Epoch"/>) whose step produced the non-finite value.</summary>
    public int Batch { get; }

    /// <summary>The batch's loss.</summary>
    public double Loss { get; }

    private static string Describe(int epoch, int batch, double loss, string what, double learningRate, bool oneDnnEnabled)
    {
        var advice = oneDnnEnabled
            ? $"oneDNN convolutions are on ({Native.ConvolutionBackends.OneDnnOptInVariable}=1), and their backward pass returns NaN on some CPUs: unset it first; if it persists, lower the learning rate (now {learningRate.ToString("G", CultureInfo.InvariantCulture)})."
            : $"Try a lower learning rate (now {learningRate.ToString("G", CultureInfo.InvariantCulture)}) or check the input pixels for extreme values.";
        return string.Create(CultureInfo.InvariantCulture,
            $"Training diverged: {what} became non-finite in epoch {epoch}, batch {batch} (loss {loss}). No model was produced. {advice}");
    }
}
