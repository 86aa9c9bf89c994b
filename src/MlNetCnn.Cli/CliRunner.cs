using MlNetCnn.Cli.Output;
using MlNetCnn.Model;
using MlNetCnn.Persistence;
using MlNetCnn.Reporting;
using MlNetCnn.Transforms;

namespace MlNetCnn.Cli;

/// <summary>Runs a command body and turns failures into one readable line and a distinct exit code.</summary>
public static class CliRunner
{
    public static async Task<int> RunAsync(bool quiet, Func<ConsoleReporter, Task<int>> body)
    {
        var reporter = new ConsoleReporter(quiet);
        try
        {
            return await body(reporter);
        }
        catch (Exception e)
        {
            var (code, message) = Classify(e);
            reporter.Error(message);
            return code;
        }
    }

    /// <summary>Maps an exception to an exit code and a message that says what to do.</summary>
    public static (int Code, string Message) Classify(Exception e) => e switch
    {
        CliException cli => (cli.ExitCode, cli.Message),
        OperationCanceledException => (ExitCodes.Cancelled, "Cancelled."),
        ReportFileExistsException exists => (ExitCodes.OutputExists, $"{exists.FilePath} already exists; pass --force to overwrite it."),
        ColumnSchemaException or InvalidFeatureValueException or InvalidArchitectureException => (ExitCodes.InvalidInput, e.Message),
        InvalidDataException or FileNotFoundException or DirectoryNotFoundException or ModelFileException or Data.ImageFolderException or Interop.PyTorchModelException => (ExitCodes.InvalidInput, e.Message),
        ArgumentException => (ExitCodes.UsageError, e.Message),
        _ => (ExitCodes.UnexpectedError, $"{e.GetType().Name}: {e.Message}"),
    };
}
