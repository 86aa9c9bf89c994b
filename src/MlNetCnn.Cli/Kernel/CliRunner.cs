using MlNetCnn.Cli.Output;
using MlNetCnn.IO;
using MlNetCnn.Model;
using MlNetCnn.Native;
using MlNetCnn.Persistence;
using MlNetCnn.Training;
using MlNetCnn.Transforms;

namespace MlNetCnn.Cli.Kernel;

/// <summary>Runs a command body and turns failures into one readable line and a distinct exit code.</summary>
public static class CliRunner
{
    /// <param name="cancel">The run's cancellation (Ctrl+C, SIGTERM): a failure while it is requested is the cancellation surfacing.</param>
    public static async Task<int> RunAsync(bool quiet, CancellationToken cancel, Func<ConsoleReporter, Task<int>> body)
    {
        var reporter = new ConsoleReporter(quiet);
        try
        {
            // Return to System.CommandLine at once and run the (synchronous, long) body on the thread pool.
            await Task.Yield();
            return await body(reporter);
        }
        catch (Exception e)
        {
            // A step stopped mid-way may fail with its own exception type; outputs are published only when complete,
            // so a cancelled run has written nothing whatever the exception.
            var (code, message) = cancel.IsCancellationRequested ? Classify(new OperationCanceledException(cancel)) : Classify(e);
            reporter.Error(message);
            return code;
        }
    }

    /// <summary>Maps an exception to an exit code (the table in <see cref="ExitCodes"/>) and a message that says what to do.</summary>
    public static (int Code, string Message) Classify(Exception e) => e switch
    {
        CliException cli => (cli.ExitCode, cli.Message),
        // report and explain pass --images to the generator, which checks them against the test split once, before its scan.
        Reporting.CnnReport.ImageIndexOutOfRangeException indices => (ExitCodes.InvalidInput,
            $"--images: {string.Join(", ", indices.Outside)} {(indices.Outside.Count == 1 ? "is" : "are")} past the end of the test split, " +
            $"which has {indices.RowCount:N0} images (indices 0–{indices.RowCount - 1:N0})."),
        OperationCanceledException => (ExitCodes.Cancelled, "Cancelled; nothing was written."),
        TrainingDivergedException => (ExitCodes.TrainingDiverged, e.Message),
        NativeRuntimeException => (ExitCodes.UnexpectedError, e.Message),
        OutputIsInputException same => (ExitCodes.UsageError, same.Message),
        OutputFileExistsException exists => (ExitCodes.OutputExists, $"{exists.FilePath} already exists (or was created while this command ran); pass --force to overwrite it."),
        Data.Cifar10.Cifar10NetworkException => (ExitCodes.NetworkFailure, $"{e.Message} Check the URL and the network, or try again later."),
        Data.Cifar10.Cifar10DownloadException => (ExitCodes.InvalidInput, e.Message),
        OutputFileException => (ExitCodes.OutputNotWritable, e.Message),
        ColumnSchemaException or InvalidFeatureValueException or InvalidArchitectureException or ModelFileException
            or Data.ImageFolder.ImageFolderException or Interop.PyTorch.PyTorchModelException => (ExitCodes.InvalidInput, e.Message),
        FileNotFoundException or DirectoryNotFoundException => (ExitCodes.DataNotFound, e.Message),
        UnauthorizedAccessException => (ExitCodes.InvalidInput, $"{e.Message} Make it readable, or point the option at a copy you can read."),
        InvalidDataException => (ExitCodes.InvalidInput, e.Message),
        // Option values are checked while parsing; an argument error from the library is about the input it was given.
        ArgumentException => (ExitCodes.InvalidInput, e.Message),
        _ => (ExitCodes.UnexpectedError, $"{e.GetType().Name}: {e.Message}"),
    };
}
