namespace MlNetCnn.Cli.Tests.TestSupport;

/// <summary>
/// Runs the CLI in-process (<see cref="CliApplication.RunAsync"/>) with the console captured. Tests that use it share
/// the "console" collection, since the console is process-wide.
/// </summary>
internal static class InProcessCli
{
    /// <summary>Runs <c>mlnetcnn args…</c>; returns the exit code and everything it printed (stdout and stderr).</summary>
    public static Task<(int Code, string Output)> Run(params string[] args) => Run(CancellationToken.None, args);

    /// <summary>As <see cref="Run(string[])"/> with a cancellation token (as Ctrl+C gives).</summary>
    public static Task<(int Code, string Output)> Run(CancellationToken cancellation, params string[] args) =>
        Capture(includeStandardOutput: true, cancellation, args);

    /// <summary>Runs <c>mlnetcnn args…</c>; returns the exit code and what it wrote to stderr only (where errors must go).</summary>
    public static Task<(int Code, string Output)> RunForErrors(CancellationToken cancellation, params string[] args) =>
        Capture(includeStandardOutput: false, cancellation, args);

    private static async Task<(int Code, string Output)> Capture(bool includeStandardOutput, CancellationToken cancellation, string[] args)
    {
        var previousOut = Console.Out;
        var previousError = Console.Error;
        var writer = new StringWriter();
        if (includeStandardOutput) Console.SetOut(writer);
        Console.SetError(writer);
        try
        {
            var code = await CliApplication.RunAsync(args, cancellation);
            return (code, writer.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
        }
    }
}
