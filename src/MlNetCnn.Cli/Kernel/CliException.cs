namespace MlNetCnn.Cli.Kernel;

/// <summary>A failure the user can fix: carries the exit code and a message saying what to do.</summary>
public sealed class CliException : Exception
{
    public CliException(int exitCode, string message, Exception? inner = null) : base(message, inner)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }
}
