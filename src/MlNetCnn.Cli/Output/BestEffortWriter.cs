using System.Text;

namespace MlNetCnn.Cli.Output;

/// <summary>
/// A console writer whose failures are not the command's: once a write to the terminal, pipe or file behind it fails
/// (closed, broken, full: <c>&gt;/dev/full</c>, EIO), the rest of the output is dropped. What the command wrote to its
/// outputs and its exit code do not depend on whether anyone could read its messages.
/// </summary>
public sealed class BestEffortWriter : TextWriter
{
    private readonly TextWriter inner;
    private volatile bool broken;

    public BestEffortWriter(TextWriter inner) => this.inner = inner;

    public override Encoding Encoding => inner.Encoding;

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    public override string NewLine
    {
        get => inner.NewLine;
#pragma warning disable CS8765 // TextWriter.NewLine's setter takes null as "the default"; passed on as it is
        set => inner.NewLine = value;
#pragma warning restore CS8765
    }

    /// <summary>True once a write has failed; nothing more is written.</summary>
    public bool Broken => broken;

    public override void Write(char value) => Try(() => inner.Write(value));

    public override void Write(string? value) => Try(() => inner.Write(value));

    public override void Write(char[] buffer, int index, int count) => Try(() => inner.Write(buffer, index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        var copy = buffer.ToArray();
        Try(() => inner.Write(copy));
    }

    public override void WriteLine(string? value) => Try(() => inner.WriteLine(value));

    public override void WriteLine() => Try(inner.WriteLine);

    public override void Flush() => Try(inner.Flush);

    private void Try(Action write)
    {
        if (broken) return;
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            // EBADF surfaces as UnauthorizedAccessException, ENOSPC/EIO as IOException.
            broken = true;
        }
    }
}
