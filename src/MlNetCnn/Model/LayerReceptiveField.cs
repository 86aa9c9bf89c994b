namespace MlNetCnn.Model;

/// <summary>
/// The theoretical receptive field of one conv block, in input pixels. <see cref="ConvOutput"/> is the side of the
/// input window one unit of the conv output (before its pool) depends on; <see cref="Pooled"/> the same after the
/// 2×2 pool. <see cref="ConvStride"/> is the distance in input pixels between neighbouring conv-output units.
/// </summary>
internal sealed record LayerReceptiveField(string Layer, int ConvOutput, int Pooled, int ConvStride, int PooledStride);
