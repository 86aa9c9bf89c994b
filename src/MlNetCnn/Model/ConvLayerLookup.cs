namespace MlNetCnn.Model;

/// <summary>Finds a conv layer by name: one lookup and one error wording for every place that takes a layer name.</summary>
internal static class ConvLayerLookup
{
    /// <summary>
    /// The layer named <paramref name="name"/>; otherwise an <see cref="ArgumentException"/> for
    /// <paramref name="parameterName"/> that lists the layers the model has ("No conv layer named 'conv9'; this model
    /// has conv1, conv2.").
    /// </summary>
    public static ConvLayerShape Find(this IReadOnlyList<ConvLayerShape> layers, string name, string parameterName) =>
        layers.FirstOrDefault(l => l.Name == name)
        ?? throw new ArgumentException($"No conv layer named '{name}'; this model has {string.Join(", ", layers.Select(l => l.Name))}.", parameterName);
}
