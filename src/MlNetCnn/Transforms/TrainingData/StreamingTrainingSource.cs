using Microsoft.ML;
using MlNetCnn.Model;
using MlNetCnn.Training;
using static TorchSharp.torch;

namespace MlNetCnn.Transforms.TrainingData;

/// <summary>
/// Training data read from the IDataView cursor every epoch instead of held in memory, so memory stays flat however
/// many rows there are: a bounded shuffle buffer of <c>bufferRows</c> images is kept full from the cursor, and each
/// batch row is drawn at random from it (its slot refilled with the next row from the cursor).
/// </summary>
/// <remarks>
/// What this changes about shuffling: a row can only be drawn once it is in the buffer, so it comes out no earlier
/// than about (its position − buffer size) in the epoch; order within a window of the buffer's size is random, order
/// across the data set mostly follows the source. With a buffer at least as large as the data set it is a full
/// uniform shuffle, though not the same permutation as in-memory training draws for the same seed. Sources sorted by
/// class need a buffer spanning several classes (or a shuffle before training). Same seed, same data ⇒ same batches.
/// </remarks>
internal sealed class StreamingTrainingSource : ITrainingSource
{
    private readonly IDataView data;
    private readonly string featureColumn;
    private readonly string labelColumn;
    private readonly ConvNetArchitecture architecture;
    private readonly int bufferRows;

    public StreamingTrainingSource(IDataView data, string featureColumn, string labelColumn, ConvNetArchitecture architecture, int bufferRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bufferRows);
        (this.data, this.featureColumn, this.labelColumn, this.architecture, this.bufferRows) = (data, featureColumn, labelColumn, architecture, bufferRows);
    }

    /// <summary>The view's row count when it knows it (rows with a missing label are skipped later).</summary>
    public long? RowCount => data.GetRowCount();

    public Func<Random, IEpochBatches> OpenEpochs(int batchSize) => shuffler => new Epoch(this, shuffler, batchSize);

    private sealed class Epoch : IEpochBatches
    {
        private readonly LabeledImageCursor rows;
        private readonly Random shuffler;
        private readonly int batchSize;
        private readonly int length;
        private readonly long[] shape;
        private readonly float[] buffer;
        private readonly long[] bufferLabels;
        private readonly float[] batch;
        private readonly long[] batchLabels;
        private int filled;
        private bool exhausted;

        public Epoch(StreamingTrainingSource source, Random shuffler, int batchSize)
        {
            rows = new LabeledImageCursor(source.data, source.featureColumn, source.labelColumn, source.architecture);
            this.shuffler = shuffler;
            this.batchSize = batchSize;
            length = rows.Length;
            var a = source.architecture;
            shape = new long[] { 0, a.InputChannels, a.InputHeight, a.InputWidth };
            var capacity = (int)Math.Min(source.bufferRows, Math.Max(1, source.RowCount ?? source.bufferRows));
            buffer = new float[(long)capacity * length];
            bufferLabels = new long[capacity];
            batch = new float[batchSize * length];
            batchLabels = new long[batchSize];
        }

        public bool TryNext(out Tensor images, out Tensor labels)
        {
            var n = 0;
            while (n < batchSize)
            {
                while (!exhausted && filled < bufferLabels.Length)
                {
                    if (rows.Next(buffer.AsSpan(filled * length, length), out var label)) bufferLabels[filled++] = label;
                    else exhausted = true;
                }
                if (filled == 0) break;
                var pick = shuffler.Next(filled);
                buffer.AsSpan(pick * length, length).CopyTo(batch.AsSpan(n * length, length));
                batchLabels[n++] = bufferLabels[pick];
                // The last row moves into the drawn slot; the next pass refills the end from the cursor.
                filled--;
                if (pick != filled)
                {
                    buffer.AsSpan(filled * length, length).CopyTo(buffer.AsSpan(pick * length, length));
                    bufferLabels[pick] = bufferLabels[filled];
                }
            }
            if (n == 0)
            {
                (images, labels) = (null!, null!);
                return false;
            }
            shape[0] = n;
            images = TensorData.FromSpan(batch.AsSpan(0, n * length), shape);
            labels = tensor(batchLabels.AsSpan(0, n).ToArray());
            return true;
        }

        public void Dispose() => rows.Dispose();
    }
}
