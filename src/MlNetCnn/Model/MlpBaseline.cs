using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetCnn.Model;

/// <summary>
/// A fully-connected control network: flatten → linear → ReLU → linear. It has no notion of pixel neighbourhoods,
/// so a fixed permutation of its input positions changes nothing it can learn.
/// </summary>
internal sealed class MlpBaseline : nn.Module<Tensor, Tensor>
{
    private readonly Linear hidden;
    private readonly Linear output;

    public MlpBaseline(int inputLength, int hiddenUnits, int classCount) : base(nameof(MlpBaseline))
    {
        if (inputLength < 1) throw new ArgumentOutOfRangeException(nameof(inputLength), inputLength, "Input length must be at least 1.");
        if (hiddenUnits < 1) throw new ArgumentOutOfRangeException(nameof(hiddenUnits), hiddenUnits, "Hidden units must be at least 1.");
        if (classCount < 2) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "Class count must be at least 2.");
        InputLength = inputLength;
        HiddenUnits = hiddenUnits;
        ClassCount = classCount;
        hidden = nn.Linear(inputLength, hiddenUnits);
        output = nn.Linear(hiddenUnits, classCount);
        RegisterComponents();
    }

    public int InputLength { get; }

    /// <summary>The input → hidden layer (weights [hidden, input]).</summary>
    public Linear HiddenLayer => hidden;

    public Linear OutputLayer => output;

    public int HiddenUnits { get; }

    public int ClassCount { get; }

    /// <summary>Trainable parameters: (input + 1) × hidden + (hidden + 1) × classes.</summary>
    public long ParameterCount => ParameterCountFor(InputLength, HiddenUnits, ClassCount);

    public static long ParameterCountFor(int inputLength, int hiddenUnits, int classCount) =>
        (long)(inputLength + 1) * hiddenUnits + (long)(hiddenUnits + 1) * classCount;

    /// <summary>The hidden width whose parameter count comes closest to <paramref name="targetParameters"/> (at least 1).</summary>
    public static int HiddenUnitsMatching(long targetParameters, int inputLength, int classCount) =>
        (int)Math.Max(1, Math.Round((double)(targetParameters - classCount) / (inputLength + 1 + classCount)));

    /// <summary>Class logits for a [N, ...] batch (flattened from dimension 1).</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var logits = output.call(nn.functional.relu(hidden.call(input.flatten(1))));
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>The hidden layer's post-ReLU output, [N, hidden].</summary>
    public Tensor Hidden(Tensor input)
    {
        using var scope = NewDisposeScope();
        return nn.functional.relu(hidden.call(input.flatten(1))).MoveToOuterDisposeScope();
    }
}
