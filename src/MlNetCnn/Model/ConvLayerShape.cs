namespace MlNetCnn.Model;

/// <summary>The inferred shape of one conv block: its input, its conv output (before pooling), and after pooling.</summary>
/// <param name="Index">0-based position in the stack.</param>
/// <param name="Name">Layer name used for columns and reports: conv1, conv2, ...</param>
public sealed record ConvLayerShape(
    int Index,
    string Name,
    int InChannels,
    int OutChannels,
    int KernelSize,
    int OutHeight,
    int OutWidth,
    int PooledHeight,
    int PooledWidth)
{
    /// <summary>Values in one conv output map (C×H×W, before pooling) — the length of a feature-map column.</summary>
    public int MapLength => checked(OutChannels * OutHeight * OutWidth);

    /// <summary>The name of the conv layer at 0-based <paramref name="index"/>: <c>conv1</c>, <c>conv2</c>, ….</summary>
    internal static string NameOf(int index) => $"conv{index + 1}";

    /// <summary>
    /// The name a user sees for one of the network's parameters (the seed's and PyTorch's state_dict key):
    /// <c>convs.0.weight</c> → <c>conv1.weight</c>; <c>fc1.*</c> unchanged.
    /// </summary>
    internal static string ParameterName(string moduleParameter)
    {
        const string prefix = "convs.";
        if (!moduleParameter.StartsWith(prefix, StringComparison.Ordinal)) return moduleParameter;
        var rest = moduleParameter[prefix.Length..];
        var dot = rest.IndexOf('.');
        return NameOf(int.Parse(rest[..dot], System.Globalization.CultureInfo.InvariantCulture)) + rest[dot..];
    }
}
