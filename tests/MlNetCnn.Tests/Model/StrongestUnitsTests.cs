using MlNetCnn.Model;

namespace MlNetCnn.Tests.Model;

public sealed class StrongestUnitsTests
{
    private static readonly ConvNetArchitecture Seed = ConvNetArchitecture.Default;

    // The seed's 3×3 "same" convs and 2×2 pools, worked out by hand: a conv1 unit at row r sees input rows r−1..r+1, so its
    // field is inside for rows 1..30; a conv2 unit at row r sees pooled rows r−1..r+1 = conv1 rows 2r−2..2r+3 = input rows
    // 2r−3..2r+4, inside for rows 2..13 of its 16.
    [Theory]
    [InlineData(0, 1, 30)]
    [InlineData(1, 2, 13)]
    public void FieldInsideMatchesTheHandWorkedBounds(int layer, int first, int last)
    {
        var shape = Seed.InferConvShapes()[layer];
        for (var r = 0; r < shape.OutHeight; r++)
            for (var c = 0; c < shape.OutWidth; c++)
                Assert.Equal(r >= first && r <= last && c >= first && c <= last, StrongestUnits.FieldInside(Seed, layer, r, c));
    }

    // With circular padding the corner unit (0, 0) of conv1 sees input rows −1..1 and columns −1..1, and row/column −1
    // is the image's last: the crop is the wrapped field, as the network reads it (zero padding: zeros there).
    [Theory]
    [InlineData(ConvPadding.Circular)]
    [InlineData(ConvPadding.Zeros)]
    public void ACropOutsideTheImageHoldsWhatThePaddingGives(ConvPadding padding)
    {
        var a = Seed with { PaddingMode = padding };
        var (c, h, w) = (a.InputChannels, a.InputHeight, a.InputWidth);
        var image = Enumerable.Range(0, c * h * w).Select(i => (i % 251) / 251f).ToArray();
        var crop = StrongestUnits.Crop(image, a, 0, w, position: 0, side: 3);
        for (var ch = 0; ch < c; ch++)
            for (var y = 0; y < 3; y++)
                for (var x = 0; x < 3; x++)
                {
                    var (sy, sx) = (y - 1, x - 1);
                    var inside = sy >= 0 && sx >= 0;
                    var expected = inside ? image[(ch * h + sy) * w + sx] : padding == ConvPadding.Circular ? image[(ch * h + (sy + h) % h) * w + (sx + w) % w] : 0f;
                    Assert.Equal(expected, crop[(ch * 3 + y) * 3 + x]);
                }
    }

    [Fact]
    public void AStrongerBorderUnitLosesToTheStrongestInteriorOne()
    {
        var conv1 = Seed.InferConvShapes()[0];
        var map = new float[conv1.MapLength];
        map[(4 * 32 + 0) * 32 + 29] = 0.9f;   // ch 4, row 0, col 29: on the border
        map[(2 * 32 + 7) * 32 + 5] = 0.4f;    // ch 2, row 7, col 5: inside
        map[(1 * 32 + 9) * 32 + 9] = 0.3f;

        Assert.Equal(new StrongestUnit(2, 7, 5, 0.4f, FieldInside: true), StrongestUnits.StrongestInMap(Seed, conv1, map));
        Assert.Equal(new StrongestUnit(4, 0, 29, 0.9f, FieldInside: false), StrongestUnits.StrongestOnBorder(Seed, conv1, map));
    }

    [Fact]
    public void WithNoActiveInteriorUnitTheStrongestOfAllIsReturnedAndMarkedAsReachingThePadding()
    {
        var conv2 = Seed.InferConvShapes()[1];
        var map = new float[conv2.MapLength];
        map[(5 * 16 + 15) * 16 + 3] = 0.2f;   // ch 5, row 15, col 3: its field leaves the image
        map[(6 * 16 + 8) * 16 + 8] = -1f;     // a negative interior value is not "active"

        Assert.Equal(new StrongestUnit(5, 15, 3, 0.2f, FieldInside: false), StrongestUnits.StrongestInMap(Seed, conv2, map));
        Assert.Null(StrongestUnits.StrongestOnBorder(Seed, conv2, new float[conv2.MapLength]));
    }
}
