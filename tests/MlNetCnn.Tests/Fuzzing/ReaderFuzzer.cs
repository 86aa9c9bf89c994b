using CsCheck;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Fuzzing;

/// <summary>
/// Mutation fuzzing of any file reader with CsCheck: a valid input is damaged (bytes flipped or set, ranges zeroed,
/// deleted, duplicated or inserted, the file cut short, the tail — where a zip keeps its directory — hit harder), the
/// reader runs on the result, and the only exceptions allowed to escape are the reader's documented ones. A reader is
/// added with one call: a valid sample, how to write it where the reader looks, how to read it, and the allowed types.
/// </summary>
public static class ReaderFuzzer
{
    /// <summary>One edit of the input; positions are fractions of the current length so they fit any size.</summary>
    public sealed record Mutation(MutationKind Kind, double Where, int Length, byte Value);

    public enum MutationKind { Flip, Set, Zero, Delete, Duplicate, Insert, Truncate, DamageTail }

    private static readonly Gen<Mutation> OneMutation = Gen.Select(
        Gen.Enum<MutationKind>(), Gen.Double[0, 1], Gen.Int[1, 64], Gen.Byte,
        (kind, where, length, value) => new Mutation(kind, where, length, value));

    /// <summary>One to eight mutations applied in order.</summary>
    public static readonly Gen<Mutation[]> Mutations = OneMutation.Array[1, 8];

    /// <summary>
    /// Runs <paramref name="read"/> on <paramref name="iterations"/> mutants of <paramref name="sample"/>, each written
    /// by <paramref name="write"/> into the same scratch folder (replacing the previous one). Fails (with CsCheck's seed and the shrunk mutation list) when
    /// <paramref name="read"/> throws anything not assignable to one of <paramref name="allowed"/>.
    /// </summary>
    /// <param name="mutate">Turns the sample and a mutation list into the bytes to write (default: <see cref="Apply"/>).</param>
    public static void Run(
        byte[] sample,
        Action<string, byte[]> write,
        Action<string> read,
        IReadOnlyCollection<Type> allowed,
        long iterations,
        Func<byte[], Mutation[], byte[]>? mutate = null,
        Action<string>? log = null)
    {
        using var temp = new TempDirectory("mlnetcnn-fuzz");
        // One folder for all inputs, rewritten each time: creating and deleting folders would cost more than reading.
        var folder = temp.Path;
        var counter = 0;
        var outcomes = new Dictionary<string, int>();
        Mutations.Sample(mutations =>
        {
            counter++;
            write(folder, (mutate ?? Apply)(sample, mutations));
            string outcome;
            try
            {
                read(folder);
                outcome = "read";
            }
            catch (Exception e) when (allowed.Any(t => t.IsInstanceOfType(e)))
            {
                outcome = e.GetType().Name;
            }
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }, iter: iterations, threads: 1, print: Describe);
        log?.Invoke($"{counter} inputs: " + string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}")));
    }

    /// <summary>Applies <paramref name="mutations"/> to a copy of <paramref name="input"/>.</summary>
    public static byte[] Apply(byte[] input, IEnumerable<Mutation> mutations)
    {
        var bytes = new List<byte>(input);
        foreach (var m in mutations)
        {
            if (bytes.Count == 0) bytes.Add(m.Value);
            var at = Math.Min((int)(m.Where * bytes.Count), bytes.Count - 1);
            var length = Math.Min(m.Length, bytes.Count - at);
            switch (m.Kind)
            {
                case MutationKind.Flip: bytes[at] ^= (byte)(m.Value | 1); break;
                case MutationKind.Set: bytes[at] = m.Value; break;
                case MutationKind.Zero: for (var i = 0; i < length; i++) bytes[at + i] = 0; break;
                case MutationKind.Delete: bytes.RemoveRange(at, length); break;
                case MutationKind.Duplicate: bytes.InsertRange(at, bytes.GetRange(at, length)); break;
                case MutationKind.Insert: bytes.InsertRange(at, Enumerable.Repeat(m.Value, m.Length)); break;
                case MutationKind.Truncate: bytes.RemoveRange(at, bytes.Count - at); break;
                case MutationKind.DamageTail:
                    // Zip archives keep their directory in the last bytes: hit them more often than uniform positions would.
                    var tail = Math.Max(0, bytes.Count - 1 - (int)(m.Where * Math.Min(bytes.Count, 256)));
                    bytes[tail] ^= (byte)(m.Value | 1);
                    break;
            }
        }
        return bytes.ToArray();
    }

    private static string Describe(Mutation[] mutations) =>
        string.Join("; ", mutations.Select(m => $"{m.Kind} at {m.Where:F4} len {m.Length} value {m.Value}"));
}
