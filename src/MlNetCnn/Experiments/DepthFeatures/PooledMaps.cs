namespace MlNetCnn.Experiments.DepthFeatures;

/// <summary>One layer's pooled maps of a batch of images: planar Images × Channels × Height × Width values.</summary>
internal sealed record PooledMaps(float[] Values, int Images, int Channels, int Height, int Width);
