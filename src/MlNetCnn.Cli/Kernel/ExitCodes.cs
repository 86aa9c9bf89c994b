namespace MlNetCnn.Cli.Kernel;

/// <summary>
/// Process exit codes — the one table the CLI uses and the README documents; each failure kind has its own so
/// scripts can react.
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A bug or a failure nobody anticipated; the message carries the exception type.</summary>
    public const int UnexpectedError = 1;

    /// <summary>The command line is wrong: unknown verb or option, a value that does not parse or is out of range, a missing required option.</summary>
    public const int UsageError = 2;

    /// <summary>No CIFAR-10 where it was looked for, or a file it needs is missing.</summary>
    public const int DataNotFound = 3;

    /// <summary>The output file exists, or appeared while the command ran (another writer won), and --force was not given.</summary>
    public const int OutputExists = 4;

    /// <summary>An input (data, model file, architecture) is corrupt, unreadable or does not fit.</summary>
    public const int InvalidInput = 5;

    /// <summary>The output cannot be written: a folder, device, FIFO, socket or link as the path, a trailing separator, a name too long, a folder that cannot be created, permission, disk full.</summary>
    public const int OutputNotWritable = 6;

    /// <summary>Training produced NaN or infinite losses.</summary>
    public const int TrainingDiverged = 7;

    /// <summary>A download failed on the network: the server could not be reached, timed out or answered with an HTTP error; trying again later or another mirror may work.</summary>
    public const int NetworkFailure = 8;

    /// <summary>Ctrl+C or SIGTERM: stopped cleanly, nothing half-written (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
