namespace MlNetCnn.Attribution;

/// <summary>
/// The attribution methods by name. Adding a method is its file plus one line in <see cref="Default"/>.
/// </summary>
public sealed class AttributionRegistry
{
    private readonly IReadOnlyDictionary<string, Func<AttributionSettings, IAttributionMethod>> factories;

    /// <summary>A registry of the given methods: each name maps to a factory that builds the method from shared settings.</summary>
    public AttributionRegistry(IEnumerable<KeyValuePair<string, Func<AttributionSettings, IAttributionMethod>>> factories)
    {
        var map = new Dictionary<string, Func<AttributionSettings, IAttributionMethod>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, factory) in factories)
            if (!map.TryAdd(name, factory)) throw new ArgumentException($"Two attribution methods are named '{name}'.", nameof(factories));
        this.factories = map;
        Names = factories.Select(f => f.Key).ToArray();
    }

    /// <summary>saliency, gradient-x-input, integrated-gradients, smoothgrad, gradcam, occlusion.</summary>
    public static AttributionRegistry Default { get; } = new(new Dictionary<string, Func<AttributionSettings, IAttributionMethod>>
    {
        ["saliency"] = s => new Saliency { BatchSize = s.BatchSize },
        ["gradient-x-input"] = s => new GradientTimesInput { BatchSize = s.BatchSize },
        ["integrated-gradients"] = s => new IntegratedGradients { BatchSize = s.BatchSize },
        ["smoothgrad"] = s => new SmoothGrad { BatchSize = s.BatchSize, Seed = s.Seed },
        ["gradcam"] = s => new GradCam { BatchSize = s.BatchSize, Layer = s.Layer },
        ["occlusion"] = s => new Occlusion { BatchSize = s.BatchSize },
    });

    /// <summary>Method names in registration order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The method called <paramref name="name"/> (case-insensitive) with <paramref name="settings"/>; the error lists the names that exist.</summary>
    public IAttributionMethod Create(string name, AttributionSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return factories.TryGetValue(name, out var factory)
            ? factory(settings ?? new AttributionSettings())
            : throw new KeyNotFoundException($"No attribution method named '{name}'. Known: {string.Join(", ", Names)}.");
    }
}
