using Razorvine.Pickle;
using static TorchSharp.torch;

namespace MlNetCnn.Interop.PyTorch;

/// <summary>
/// Rebuilds a tensor from <c>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, …)</c> as PyTorch does:
/// the view (offset, size, stride) of the whole storage. TorchSharp.PyBridge's own constructor copies the storage's
/// bytes into a fresh tensor of the view's shape, which fails for a legal non-contiguous tensor (a <c>.t()</c> view,
/// a slice of a bigger tensor saved as it is) — such files were refused as "not a PyTorch state_dict".
/// </summary>
internal sealed class StridedTensorConstructor : IObjectConstructor
{
    private static int registered;

    /// <summary>
    /// Puts this constructor in place of PyBridge's. The unpickler's constructor table is process-wide; PyBridge fills
    /// it in its static constructor, so that runs first and this entry replaces its one.
    /// </summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1) return;
        System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(TorchSharp.PyBridge.PyTorchUnpickler).TypeHandle);
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", new StridedTensorConstructor());
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor", new StridedTensorConstructor());
    }

    /// <summary>A property or field of PyBridge's storage object (an internal type: read by name).</summary>
    private static object? Member(object storage, string name)
    {
        const System.Reflection.BindingFlags Any = System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance;
        var type = storage.GetType();
        return type.GetProperty(name, Any)?.GetValue(storage) ?? type.GetField(name, Any)?.GetValue(storage)
            ?? type.GetField($"<{name}>k__BackingField", Any)?.GetValue(storage);
    }

    private static byte[] ReadAll(System.IO.Compression.ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public object construct(object[] args)
    {
        // args[0] is PyBridge's storage object (its persistent-load result): the storage's raw bytes and element type.
        var storage = args[0];
        // PyBridge 1.4's storage object (TensorStream) holds the storage's zip entry (ArchiveEntry) and DType.
        var data = Member(storage, "ArchiveEntry") switch
        {
            System.IO.Compression.ZipArchiveEntry entry => ReadAll(entry),
            var other => throw new InvalidDataException($"a tensor's storage holds no data ({storage.GetType().Name}: {other?.GetType().Name ?? "nothing"}).")
        };
        var dtype = (ScalarType)(Member(storage, "DType") ?? Member(storage, "dtype") ?? throw new InvalidDataException("a tensor's storage has no element type."));
        var offset = Convert.ToInt64(args[1], System.Globalization.CultureInfo.InvariantCulture);
        var shape = ((object[])args[2]).Select(i => Convert.ToInt64(i, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var stride = ((object[])args[3]).Select(i => Convert.ToInt64(i, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (shape.Length != stride.Length)
            throw new InvalidDataException($"a tensor has {shape.Length} sizes but {stride.Length} strides.");

        using var probe = empty(0, dtype);
        var elementSize = (long)probe.ElementSize;
        var storageLength = data.LongLength / elementSize;
        // The furthest element the view reads must lie inside the storage, or as_strided would read past it.
        var last = offset;
        foreach (var (size, step) in shape.Zip(stride))
        {
            if (size < 0 || step < 0) throw new InvalidDataException($"a tensor has a negative size or stride ({string.Join(", ", shape)} / {string.Join(", ", stride)}).");
            if (size == 0) { last = offset - 1; break; }
            last += (size - 1) * step;
        }
        if (offset < 0 || last >= storageLength)
            throw new InvalidDataException($"a tensor's view (offset {offset}, sizes [{string.Join(", ", shape)}], strides [{string.Join(", ", stride)}]) reaches past its storage of {storageLength} elements.");

        using var scope = NewDisposeScope();
        var flat = empty(storageLength, dtype);
        flat.bytes = data;
        var tensor = shape.Length == 0 ? flat[offset].clone() : flat.as_strided(shape, stride, offset).contiguous().clone();
        return tensor.MoveToOuterDisposeScope();
    }
}
