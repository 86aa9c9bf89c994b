namespace MlNetCnn.Model;

/// <summary>The inferred shape of one conv block: its input, its conv output (before pooling), and after pooling.</summary>
public sealed class ConvLayerShape
{
    internal ConvLayerShape(int index, string name, int inChannels, int outChannels, int kernelSize, int outHeight, int outWidth, int pooledHeight, int pooledWidth)
    {
        Index = index;
        Name = name;
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        OutHeight = outHeight;
        OutWidth = outWidth;
        PooledHeight = pooledHeight;
        PooledWidth = pooledWidth;
    }

    /// <summary>0-based position in the stack.</summary>
    public int Index { get; }

    /// <summary>Layer name used for columns and reports: conv1, conv2, ...</summary>
    public string Name { get; }

    /// <summary>Channels coming into the block.</summary>
    public int InChannels { get; }

    /// <summary>Channels (kernels) of the conv layer.</summary>
    public int OutChannels { get; }

    /// <summary>Side of the square kernel.</summary>
    public int KernelSize { get; }

    /// <summary>Rows of the conv output (before pooling).</summary>
    public int OutHeight { get; }

    /// <summary>Columns of the conv output (before pooling).</summary>
    public int OutWidth { get; }

    /// <summary>Rows after the 2×2 max-pool.</summary>
    public int PooledHeight { get; }

    /// <summary>Columns after the 2×2 max-pool.</summary>
    public int PooledWidth { get; }

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
