using Microsoft.ML;
using MlNetCnn.Persistence;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Persistence;

/// <summary>
/// A model file whose architecture names a padding mode that does not exist, or a field this library does not know,
/// or whose stage has a batch size no buffer can hold, is refused when it opens (a typed error naming the entry),
/// instead of reporting and exporting with silently different behaviour or an OverflowException later.
/// </summary>
public class ModelFileArchitectureTests : IClassFixture<PersistenceTestModel>
{
    private readonly PersistenceTestModel fixture;

    public ModelFileArchitectureTests(PersistenceTestModel fixture) => this.fixture = fixture;

    [Theory]
    [InlineData(2)]
    [InlineData(-1)]
    [InlineData(99)]
    public void AnUnknownPaddingModeIsRefusedWhenTheModelOpens(int mode)
    {
        using var temp = new TempDirectory();
        var path = fixture.SaveGood(temp);
        ModelFileEditing.EditJson(path, "architecture.json", node => { node["paddingMode"] = mode; return node; });
        var e = Assert.Throws<ModelFileException>(() => fixture.Ml.Model.LoadSimpleCnn(path));
        Assert.Contains("architecture.json", e.Message);
        Assert.Contains("padding mode", e.Message);
    }

    [Theory]
    [InlineData("dilation", 2)]
    [InlineData("paddingMod", 1)]
    public void AnUnknownArchitectureFieldIsRefusedWhenTheModelOpens(string field, int value)
    {
        using var temp = new TempDirectory();
        var path = fixture.SaveGood(temp);
        ModelFileEditing.EditJson(path, "architecture.json", node => { node[field] = value; return node; });
        var e = Assert.Throws<ModelFileException>(() => fixture.Ml.Model.LoadSimpleCnn(path));
        Assert.Contains("architecture.json", e.Message);
        Assert.Contains(field, e.Message);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(2_000_000)]
    [InlineData(0)]
    public void AnOutOfRangeBatchSizeIsRefusedWhenTheModelOpens(int batchSize)
    {
        using var temp = new TempDirectory();
        var path = fixture.SaveGood(temp);
        ModelFileEditing.EditJson(path, "manifest.json", node =>
        {
            foreach (var stage in node["stages"]!.AsArray())
                if (stage!["batchSize"] != null) stage["batchSize"] = batchSize;
            return node;
        });
        var e = Assert.Throws<ModelFileException>(() => fixture.Ml.Model.LoadSimpleCnn(path));
        Assert.Contains("batch size", e.Message);
        Assert.Contains(batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
    }
}
