// The signal handler's race tests deliver signals to their own TerminationSignals, not to the test process.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("MlNetCnn.Cli.Tests")]
