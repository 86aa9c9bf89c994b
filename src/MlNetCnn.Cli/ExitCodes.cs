namespace MlNetCnn.Cli;

/// <summary>Process exit codes; each failure kind has its own so scripts can react.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int UnexpectedError = 1;
    public const int UsageError = 2;
    public const int DataNotFound = 3;
    public const int OutputExists = 4;
    public const int InvalidInput = 5;
    public const int OutputNotWritten = 6;
    public const int TrainingDiverged = 7;
    public const int Cancelled = 130;
}
