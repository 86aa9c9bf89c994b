namespace MlNetCnn.Model;

/// <summary>What a conv layer sees beyond the border of its input.</summary>
public enum ConvPadding
{
    /// <summary>Zeros, as in the seed's SimpleCNN (PyTorch's default).</summary>
    Zeros,

    /// <summary>The map wraps around (a torus): convolutions become exactly equivariant to circular shifts.</summary>
    Circular,
}
