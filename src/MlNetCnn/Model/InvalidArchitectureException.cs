namespace MlNetCnn.Model;

/// <summary>A network configuration that cannot be built; <see cref="LayerName"/> says where it breaks.</summary>
public sealed class InvalidArchitectureException : ArgumentException
{
    /// <summary>Creates the exception for the layer called <paramref name="layerName"/>.</summary>
    public InvalidArchitectureException(string layerName, string message) : base(message)
    {
        LayerName = layerName;
    }

    /// <summary>The layer whose shape does not work, e.g. <c>conv2</c> (<c>conv</c> when there is no conv layer).</summary>
    public string LayerName { get; }
}
