namespace MlNetCnn.Reporting.CnnReport.Parts;

/// <summary>
/// One output value of a conv layer computed by hand: the input patch under the kernel (zeros outside the image,
/// as the layer's padding does), the kernel, their element-wise products, the sum plus bias and the ReLU.
/// </summary>
/// <param name="Channel">Output channel (filter).</param>
/// <param name="Row">Output row.</param>
/// <param name="Col">Output column.</param>
/// <param name="Patch">in × k × k input values; padded positions are 0.</param>
/// <param name="Padded">in × k × k flags: true where the kernel hangs over the border.</param>
/// <param name="Kernel">in × k × k weights of the filter.</param>
/// <param name="Products">Patch × Kernel element-wise.</param>
/// <param name="Bias">The filter's bias.</param>
/// <param name="MapValue">The value the feature map (column) holds at this position.</param>
internal sealed record WorkedConvolution(
    int Channel, int Row, int Col, int InChannels, int KernelSize,
    float[] Patch, bool[] Padded, float[] Kernel, double[] Products, float Bias, float MapValue)
{
    /// <summary>Σ products over input channels (index = input channel).</summary>
    public IReadOnlyList<double> ChannelSums
    {
        get
        {
            var plane = KernelSize * KernelSize;
            return [.. Enumerable.Range(0, InChannels).Select(c => Products.Skip(c * plane).Take(plane).Sum())];
        }
    }

    /// <summary>Σ of all products.</summary>
    public double Sum => Products.Sum();

    /// <summary>Sum + bias: the conv output before the ReLU.</summary>
    public double PreActivation => Sum + Bias;

    /// <summary>max(0, pre-activation): the value the feature map shows.</summary>
    public double Output => Math.Max(0, PreActivation);

    /// <summary>Works out output (<paramref name="channel"/>, <paramref name="row"/>, <paramref name="col"/>) of a same-padded conv.</summary>
    /// <param name="input">Planar in × height × width input.</param>
    /// <param name="weights">The layer's [out, in, k, k] weights.</param>
    /// <param name="bias">The layer's biases.</param>
    public static WorkedConvolution Compute(
        ReadOnlySpan<float> input, int inChannels, int height, int width,
        ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int kernelSize,
        int channel, int row, int col, float mapValue)
    {
        var plane = kernelSize * kernelSize;
        var pad = kernelSize / 2;
        var patch = new float[inChannels * plane];
        var padded = new bool[inChannels * plane];
        var kernel = weights.Slice(channel * inChannels * plane, inChannels * plane).ToArray();
        var products = new double[inChannels * plane];
        for (var c = 0; c < inChannels; c++)
        {
            for (var dy = 0; dy < kernelSize; dy++)
            {
                for (var dx = 0; dx < kernelSize; dx++)
                {
                    int y = row + dy - pad, x = col + dx - pad, i = (c * kernelSize + dy) * kernelSize + dx;
                    var outside = y < 0 || y >= height || x < 0 || x >= width;
                    padded[i] = outside;
                    patch[i] = outside ? 0f : input[(c * height + y) * width + x];
                    products[i] = (double)patch[i] * kernel[i];
                }
            }
        }

        return new WorkedConvolution(channel, row, col, inChannels, kernelSize, patch, padded, kernel, products, bias[channel], mapValue);
    }
}
