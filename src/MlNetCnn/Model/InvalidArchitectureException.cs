namespace MlNetCnn.Model;

/// <summary>A network configuration that cannot be built; <see cref="LayerName"/> says where it breaks.</summary>
public sealed class InvalidArchitectureException : ArgumentException
{
    public InvalidArchitectureException(string layerName, string message) : base(message)
    {
        LayerName = layerName;
    }

    public string LayerName { get; }
}
