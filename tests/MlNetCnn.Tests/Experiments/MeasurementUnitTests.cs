using MlNetCnn.Experiments;

namespace MlNetCnn.Tests.Experiments;

// The texts are the ones the free-text units produced before the unit was typed: pages and findings must not change.
public class MeasurementUnitTests
{
    [Theory]
    [InlineData("accuracy", 0.4713, "47.1%")]
    [InlineData("fraction", 0.25, "25.0%")]
    [InlineData("px", 12, "12 px")]
    [InlineData("px", 3.14159, "3.1416 px")]
    [InlineData("rho", -0.5, "-0.5 rho")]
    [InlineData("p", 0.000012, "1.2E-5")]
    [InlineData("probability", 0.0421, "0.0421")]
    [InlineData("", 123.456, "123.5")]
    [InlineData("accuracy", double.NaN, "n/a")]
    [InlineData("px", double.PositiveInfinity, "∞")]
    public void FormatWritesTheValueAsTheReportAlwaysHas(string unitName, double value, string expected)
    {
        Assert.Equal(expected, Unit(unitName).Format(value));
    }

    [Fact]
    public void EveryUnitHasADistinctNameAndAMeasurementWithoutOneHasNone()
    {
        var names = All().Select(u => u.Name).ToArray();

        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Same(MeasurementUnit.None, new Measurement("x", 1).Unit);
        Assert.Equal("px", MeasurementUnit.Pixels.ToString());
    }

    [Fact]
    public void ASummaryOverSeedsWritesThePercentSignOnceAndAWordUnitAtTheEnd()
    {
        Assert.Equal("a 45.0 ± 7.1 (40.0–50.0)%", new MeasurementSummary("a", MeasurementUnit.Accuracy, [0.40, 0.50]).Describe());
        Assert.Equal("b 3 ± 1.4142 (2–4) px", new MeasurementSummary("b", MeasurementUnit.Pixels, [2, 4]).Describe());
        Assert.Equal("c 0.3 ± 0.1414 (0.2–0.4)", new MeasurementSummary("c", MeasurementUnit.Cosine, [0.2, 0.4]).Describe());
    }

    private static MeasurementUnit Unit(string name) => All().Single(u => u.Name == name);

    private static IEnumerable<MeasurementUnit> All() =>
        typeof(MeasurementUnit).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(MeasurementUnit))
            .Select(p => (MeasurementUnit)p.GetValue(null)!);
}
