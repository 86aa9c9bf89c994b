namespace MlNetCnn.Attribution;

/// <summary>
/// The attribution methods by name. Adding a method is its file plus one line in <see cref="Default"/>, which
/// does not repeat the name: the registry reads <see cref="AttributionMethod.Name"/> and
/// <see cref="AttributionMethod.DisplayName"/> from the method.
/// </summary>
public sealed class AttributionRegistry
{
    private readonly IReadOnlyDictionary<string, Func<AttributionSettings, IAttributionMethod>> factories;

    private readonly IReadOnlyDictionary<string, string> displayNames;

    /// <summary>A registry of the given methods: each name maps to a factory that builds the method from shared settings.</summary>
    public AttributionRegistry(IEnumerable<KeyValuePair<string, Func<AttributionSettings, IAttributionMethod>>> factories)
        : this(factories, new Dictionary<string, string>())
    {
    }

    /// <summary>
    /// A registry of the given methods with the names pages show for them (<c>gradcam</c> → "Grad-CAM"); a method
    /// without a display name is shown by its registry name.
    /// </summary>
    /// <exception cref="ArgumentException">Two methods share a name, or a display name is given for a method that is not registered.</exception>
    public AttributionRegistry(IEnumerable<KeyValuePair<string, Func<AttributionSettings, IAttributionMethod>>> factories, IReadOnlyDictionary<string, string> displayNames)
    {
        ArgumentNullException.ThrowIfNull(factories);
        ArgumentNullException.ThrowIfNull(displayNames);
        var map = new Dictionary<string, Func<AttributionSettings, IAttributionMethod>>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        foreach (var (name, factory) in factories)
        {
            if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("An attribution method's name is empty.", nameof(factories));
            ArgumentNullException.ThrowIfNull(factory, nameof(factories));
            if (!map.TryAdd(name, factory)) throw new ArgumentException($"Two attribution methods are named '{name}'.", nameof(factories));
            order.Add(name);
        }
        var shown = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, displayName) in displayNames)
        {
            if (!map.ContainsKey(name))
                throw new ArgumentException($"Display name '{displayName}' is for '{name}', which is not a registered method. Registered: {string.Join(", ", order)}.", nameof(displayNames));
            shown[name] = displayName;
        }
        this.factories = map;
        this.displayNames = shown;
        Names = order;
    }

    /// <summary>
    /// Every method this library ships, each under its registry name with its display name (<c>gradcam</c> → "Grad-CAM"),
    /// in registration order.
    /// </summary>
    // One line per method; its name and display name are the method's own (read from an instance built with default settings).
    public static AttributionRegistry Default { get; } = Registered(
        s => new Saliency { BatchSize = s.BatchSize },
        s => new GradientTimesInput { BatchSize = s.BatchSize },
        s => new IntegratedGradients { BatchSize = s.BatchSize },
        s => new SmoothGrad { BatchSize = s.BatchSize, Seed = s.Seed },
        s => new GradCam { BatchSize = s.BatchSize, Layer = s.Layer },
        s => new Occlusion { BatchSize = s.BatchSize });

    /// <summary>Method names in registration order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>
    /// The name pages show for the method registered as <paramref name="name"/> ("Grad-CAM" for <c>gradcam</c>); the
    /// name itself for a method without one, or one this registry does not know (such as the <c>random</c> baseline).
    /// </summary>
    public string DisplayName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return displayNames.TryGetValue(name, out var shown) ? shown : name;
    }

    /// <summary>The method called <paramref name="name"/> (case-insensitive) with <paramref name="settings"/>; the error lists the names that exist.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or blank (no method is called that).</exception>
    /// <exception cref="KeyNotFoundException">No method is registered as <paramref name="name"/>.</exception>
    public IAttributionMethod Create(string name, AttributionSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return factories.TryGetValue(name, out var factory)
            ? factory(settings ?? new AttributionSettings())
            : throw new KeyNotFoundException($"No attribution method named '{name}'. Known: {string.Join(", ", Names)}.");
    }

    /// <summary>A registry of <paramref name="factories"/> in that order, each under the name and display name its method gives.</summary>
    internal static AttributionRegistry Registered(params Func<AttributionSettings, AttributionMethod>[] factories)
    {
        var methods = factories.Select(factory => (Method: factory(new AttributionSettings()), Factory: factory)).ToArray();
        return new(
            methods.Select(m => KeyValuePair.Create<string, Func<AttributionSettings, IAttributionMethod>>(m.Method.Name, m.Factory)),
            methods.ToDictionary(m => m.Method.Name, m => m.Method.DisplayName, StringComparer.OrdinalIgnoreCase));
    }
}
