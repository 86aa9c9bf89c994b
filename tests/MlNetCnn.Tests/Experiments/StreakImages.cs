using MlNetCnn.Training;

namespace MlNetCnn.Tests.Experiments;

/// <summary>
/// A two-class synthetic set whose answer is known: uniform noise smeared along rows (class 0, horizontal streaks) or
/// along columns (class 1, vertical streaks), with wrap-around. Every pixel has the same distribution in both classes
/// (the same histogram, the same mean image): only the correlation between neighbouring pixels tells them apart, which a
/// 3×3 convolution sees directly and a network given the pixels in scrambled order cannot.
/// </summary>
internal static class StreakImages
{
    public const int Side = 16;
    public const int Length = 4;

    public static InMemoryImageSet Create(int count, int seed, int channels = 3, int side = Side)
    {
        var random = new Random(seed);
        var area = side * side;
        var features = new float[count * channels * area];
        var labels = new long[count];
        var noise = new double[area];
        for (var i = 0; i < count; i++)
        {
            var label = i % 2;
            labels[i] = label;
            for (var p = 0; p < area; p++) noise[p] = random.NextDouble();
            for (var y = 0; y < side; y++)
                for (var x = 0; x < side; x++)
                {
                    double sum = 0;
                    for (var t = 0; t < Length; t++)
                        sum += label == 0 ? noise[y * side + (x + t) % side] : noise[((y + t) % side) * side + x];
                    var value = (float)(sum / Length);
                    for (var c = 0; c < channels; c++) features[(i * channels + c) * area + y * side + x] = value;
                }
        }
        return new InMemoryImageSet(features, labels, channels, side, side);
    }
}
