using System.IO.Compression;
using System.Text;

namespace MlNetCnn.Tests.TestSupport;

/// <summary>
/// Writes a torch.save zip by hand — a protocol-2 pickle of an OrderedDict whose values are
/// <c>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())</c> calls, each storage a
/// stored entry <c>archive/data/N</c> — so layouts PyTorch writes (strided views, big-endian byte order, int64 values)
/// are tested on a machine without PyTorch. What Debian's PyTorch writes is checked against the same reader in
/// PyTorchLayoutTests where it is installed.
/// </summary>
public static class HandBuiltStateDict
{
    /// <summary>One state_dict entry: the storage's elements (as raw little-endian bytes via <paramref name="Storage"/>) and the view on it.</summary>
    public sealed record Entry(string Key, string StorageType, byte[] Storage, long Offset, long[] Size, long[] Stride);

    /// <summary>A float32 entry whose storage is <paramref name="values"/>.</summary>
    public static Entry Float(string key, float[] values, long offset, long[] size, long[] stride) =>
        new(key, "FloatStorage", values.SelectMany(BitConverter.GetBytes).ToArray(), offset, size, stride);

    /// <summary>A contiguous float32 entry of <paramref name="size"/>.</summary>
    public static Entry Contiguous(string key, float[] values, params long[] size)
    {
        var stride = new long[size.Length];
        long step = 1;
        for (var i = size.Length - 1; i >= 0; i--) { stride[i] = step; step *= size[i]; }
        return Float(key, values, 0, size, stride);
    }

    /// <summary>Writes the entries to <paramref name="path"/>; <paramref name="byteOrder"/> adds an <c>archive/byteorder</c> record.</summary>
    public static void Write(string path, IReadOnlyList<Entry> entries, string? byteOrder = null)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        void Add(string name, byte[] content)
        {
            using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
            stream.Write(content);
        }
        Add("archive/data.pkl", Pickle(entries));
        if (byteOrder != null) Add("archive/byteorder", Encoding.ASCII.GetBytes(byteOrder));
        for (var i = 0; i < entries.Count; i++) Add($"archive/data/{i}", entries[i].Storage);
        Add("archive/version", "3\n"u8.ToArray());
    }

    private static byte[] Pickle(IReadOnlyList<Entry> entries)
    {
        var p = new MemoryStream();
        void Op(params byte[] bytes) => p.Write(bytes);
        void Global(string module, string name) { Op((byte)'c'); p.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n")); }
        void Text(string s) { var b = Encoding.UTF8.GetBytes(s); Op((byte)'X'); p.Write(BitConverter.GetBytes(b.Length)); p.Write(b); }
        void Int(long v) { Op((byte)'J'); p.Write(BitConverter.GetBytes(checked((int)v))); }
        void Tuple(IEnumerable<long> values) { Op((byte)'('); foreach (var v in values) Int(v); Op((byte)'t'); }

        Op(0x80, 2);                                   // PROTO 2
        Global("collections", "OrderedDict"); Op((byte)')', (byte)'R');
        Op((byte)'(');                                 // MARK for SETITEMS
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            Text(e.Key);
            Global("torch._utils", "_rebuild_tensor_v2");
            Op((byte)'(');                             // MARK: the call's arguments
            Op((byte)'(');                             // MARK: the persistent id
            Text("storage");
            Global("torch", e.StorageType);
            Text(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Text("cpu");
            Int(e.Storage.Length / ElementSize(e.StorageType));
            Op((byte)'t', (byte)'Q');                  // TUPLE, BINPERSID
            Int(e.Offset);
            Tuple(e.Size);
            Tuple(e.Stride);
            Op(0x89);                                  // NEWFALSE: requires_grad
            Global("collections", "OrderedDict"); Op((byte)')', (byte)'R');   // backward hooks
            Op((byte)'t', (byte)'R');                  // TUPLE, REDUCE
        }
        Op((byte)'u', (byte)'.');                      // SETITEMS, STOP
        return p.ToArray();
    }

    private static int ElementSize(string storageType) => storageType switch
    {
        "FloatStorage" or "IntStorage" => 4,
        "DoubleStorage" or "LongStorage" => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(storageType), storageType, null),
    };
}
