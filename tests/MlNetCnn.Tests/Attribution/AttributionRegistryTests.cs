using MlNetCnn.Attribution;
using MlNetCnn.Tests.Experiments;

namespace MlNetCnn.Tests.Attribution;

/// <summary>Every registered method through the same checks: shape, finiteness, determinism, batch-size independence.</summary>
[Collection(TorchSerialCollection.Name)]
public class AttributionRegistryTests
{
    public static TheoryData<string> Methods() => new(AttributionRegistry.Default.Names);

    [Theory]
    [MemberData(nameof(Methods))]
    public void EveryMethodGivesFiniteDeterministicMapsOfTheInputSizeWhateverTheBatchSize(string name)
    {
        using var model = AttributionTestModels.SimpleCnn(seed: 2);
        var a = model.Architecture;
        const int count = 3;
        var images = AttributionTestModels.RandomValues(count * a.InputLength, seed: 5);
        var targets = new[] { 0, 3, 9 };

        var method = AttributionRegistry.Default.Create(name, new AttributionSettings { BatchSize = 2 });
        var first = method.Attribute(model, images, targets);
        var again = method.Attribute(model, images, targets);
        var oneByOne = AttributionRegistry.Default.Create(name, new AttributionSettings { BatchSize = 1 }).Attribute(model, images, targets);

        Assert.Equal(name, method.Name);
        Assert.Equal(count, first.Count);
        var expected = method.KeepsChannels ? new[] { a.InputChannels, a.InputHeight, a.InputWidth } : new[] { a.InputHeight, a.InputWidth };
        Assert.Equal(expected, first.Dimensions);
        Assert.Equal(count * expected.Aggregate(1, (x, y) => x * y), first.Values.Length);
        Assert.All(first.Values, v => Assert.True(float.IsFinite(v), $"{name} gave {v}"));
        Assert.True(first.Values.Any(v => v != 0), $"{name} gave all-zero maps");
        Assert.Equal(first.Values, again.Values);
        var scale = first.Values.Max(Math.Abs);
        for (var i = 0; i < first.Values.Length; i++)
            Assert.True(Math.Abs(first.Values[i] - oneByOne.Values[i]) <= 1e-4 * scale,
                $"{name}: value {i} is {first.Values[i]} in batches of 2 but {oneByOne.Values[i]} one by one");
    }

    [Fact]
    public void SmoothGradNoiseFollowsTheImageNotItsPositionAndChangesWithTheSeed()
    {
        using var model = AttributionTestModels.SimpleCnn(seed: 2);
        var length = model.Architecture.InputLength;
        var images = AttributionTestModels.RandomValues(2 * length, seed: 6);
        var second = images.AsSpan(length, length).ToArray();

        var inBatch = new SmoothGrad { Samples = 4 }.Attribute(model, images, new[] { 1, 2 });
        var alone = new SmoothGrad { Samples = 4 }.Attribute(model, second, new[] { 2 });
        var otherSeed = new SmoothGrad { Samples = 4, Seed = 2 }.Attribute(model, second, new[] { 2 });

        // The same image at position 1 of a batch and alone at position 0: the same noise, so (nearly) the same map.
        var scale = alone.Values.Max(Math.Abs);
        for (var p = 0; p < length; p++) Assert.True(Math.Abs(inBatch.Map(1)[p] - alone.Values[p]) <= 1e-4 * scale, $"value {p}");
        Assert.NotEqual(alone.Values, otherSeed.Values);
    }

    // Checks that hold for any catalog, so registering a method needs no edit here.
    [Fact]
    public void DefaultRegistryNamesAreUniqueLowerKebabCaseAndEachHasADisplayName()
    {
        var registry = AttributionRegistry.Default;
        Assert.NotEmpty(registry.Names);
        Assert.Equal(registry.Names.Count, registry.Names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(registry.Names, n => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", n));
        Assert.All(registry.Names, n => Assert.False(string.IsNullOrWhiteSpace(registry.DisplayName(n)), $"{n} has no display name"));
    }

    [Fact]
    public void CreateMakesEveryNameWhateverItsCase()
    {
        var registry = AttributionRegistry.Default;
        foreach (var name in registry.Names)
        {
            Assert.Equal(name, registry.Create(name).Name);
            Assert.Equal(name, registry.Create(name.ToUpperInvariant()).Name);
            Assert.Equal(registry.DisplayName(name), registry.DisplayName(name.ToUpperInvariant()));
            // The registry's display name is the method's own: written once, on the method.
            Assert.Equal(registry.DisplayName(name), Assert.IsAssignableFrom<AttributionMethod>(registry.Create(name)).DisplayName);
        }
        var error = Assert.Throws<KeyNotFoundException>(() => registry.Create("no-such-method"));
        Assert.All(registry.Names, n => Assert.Contains(n, error.Message));
    }

    [Fact]
    public void NamesAreInRegistrationOrderNotSortedAndTheSameEachTime()
    {
        // Pages and --methods list methods in this order, so it is the order they were registered in, not the alphabet's.
        AttributionRegistry Build() => AttributionRegistry.Registered(_ => new Occlusion(), _ => new GradCam(), _ => new Saliency());
        Assert.Equal(new[] { "occlusion", "gradcam", "saliency" }, Build().Names);
        Assert.Equal(Build().Names, Build().Names);
        var custom = new AttributionRegistry(new[] { "zeta", "alpha", "mid" }.Select(n =>
            KeyValuePair.Create<string, Func<AttributionSettings, IAttributionMethod>>(n, _ => new Saliency())));
        Assert.Equal(new[] { "zeta", "alpha", "mid" }, custom.Names);
    }

    [Fact]
    public void RegistryPassesTheLayerToGradCam()
    {
        var method = Assert.IsType<GradCam>(AttributionRegistry.Default.Create("GradCam", new AttributionSettings { Layer = "conv1" }));
        Assert.Equal("conv1", method.Layer);
    }

    [Fact]
    public void DisplayNamesAreForPagesWhileKeysStayForCode()
    {
        Assert.Equal("Grad-CAM", AttributionRegistry.Default.DisplayName("GRADCAM"));
        // Names the registry does not hold (the random baseline, a user's method) are shown as they are.
        Assert.Equal(Faithfulness.RandomBaseline, AttributionRegistry.Default.DisplayName(Faithfulness.RandomBaseline));
        Assert.Equal("gradcam", AttributionRegistry.Default.Create("gradcam").Name);
    }

    [Fact]
    public void ACustomRegistryShowsItsOwnDisplayNamesAndRejectsOnesForUnknownMethods()
    {
        var factories = new[] { KeyValuePair.Create<string, Func<AttributionSettings, IAttributionMethod>>("mine", _ => new Saliency()) };
        Assert.Equal("mine", new AttributionRegistry(factories).DisplayName("mine"));
        Assert.Equal("My method", new AttributionRegistry(factories, new Dictionary<string, string> { ["mine"] = "My method" }).DisplayName("mine"));
        var error = Assert.Throws<ArgumentException>(() => new AttributionRegistry(factories, new Dictionary<string, string> { ["other"] = "Other" }));
        Assert.Contains("'other'", error.Message);
    }
}
