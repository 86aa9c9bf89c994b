namespace MlNetCnn.Reporting.CnnReport.Explorer;

/// <summary>
/// One channel's strongest test images, best first: each image's strongest unit among those whose receptive field lies
/// inside the image (the top-patches experiment's search), its value, and the input crop under its receptive field.
/// </summary>
/// <param name="Rows">0-based test rows.</param>
/// <param name="Values">The post-ReLU activation of the strongest unit of each row.</param>
/// <param name="Crops">C×side×side input crops, values in [0, 1].</param>
/// <param name="Files">Each row's image file (image folders), or null: a row number is a position in a shuffled split.</param>
/// <param name="Max">The channel's largest value over every unit (border units too) of every scanned row: 0 means a dead channel.</param>
internal sealed record ChannelTopPatches(long[] Rows, float[] Values, float[][] Crops, float Max, string?[] Files);
