using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;
using MlNetCnn.Cli.Commands;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Options;

namespace MlNetCnn.Cli;

/// <summary>The command tree; Program only invokes it, tests build and invoke it in-process.</summary>
public static partial class CliApplication
{
    public static RootCommand Build()
    {
        var root = new RootCommand("MlNetCnn: train a small CNN on CIFAR-10 or your own image folder inside ML.NET and see what its convolutions detect. " +
            $"Without a command, `mlnetcnn` trains with the seed's procedure ({CommonOptions.CliEpochs} epochs, the options below), prints the test accuracy and writes " +
            $"{RunCommand.ArtifactsDirectory}/model.zip and {RunCommand.ArtifactsDirectory}/report.html");
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(ExperimentCommand.Create());
        root.Subcommands.Add(ExplainCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(FeaturesCommand.Create());
        root.Subcommands.Add(DownloadCommand.Create());
        RunCommand.AttachTo(root);
        // One rule for the whole tree, so options added later are covered: a string option given "" is a usage error.
        OptionChecks.RefuseEmptyValues(root);
        // And one rule for numbers: read with the invariant culture whatever the user's locale.
        OptionChecks.ParseNumbersInvariantly(root);
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>. This is the one parse path: every value that does not convert or is
    /// out of range, in any verb, exits with <see cref="ExitCodes.UsageError"/> and a line naming the option, before
    /// any work and without a stack trace. SIGTERM is handled as Ctrl+C is (exit <see cref="ExitCodes.Cancelled"/>).
    /// </summary>
    /// <param name="cancellation">Cancels the command as Ctrl+C does (exit code <see cref="ExitCodes.Cancelled"/>).</param>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellation = default)
    {
        // First, so that a signal at any moment of the run cancels it instead of killing the process mid-write.
        using var run = TerminationSignals.Process.Start(cancellation);
        // One culture for every number this run parses and prints, whatever the user's locale. Set here it flows to the
        // run's tasks and threads and is undone for the caller when this method returns (a host keeps its own).
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        ParseResult parse;
        try
        {
            parse = Build().Parse(args);
        }
        catch (Exception e) when (e is InvalidOperationException or CliException or FormatException or OverflowException)
        {
            // A validator that could not read its value: still a usage error, never a crash.
            Console.Error.WriteLine("error: " + Friendly(e.Message));
            Console.Error.WriteLine("Run 'mlnetcnn --help' for usage.");
            return ExitCodes.UsageError;
        }
        if (parse.Errors.Count > 0)
            return ReportUsageErrors(parse);

        // No ProcessTerminationTimeout: System.CommandLine installs no signal handler of its own (it would race ours
        // with a second timeout and exit 143); TerminationSignals is the one.
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, run.Token).ConfigureAwait(false);
    }

    // System.CommandLine would exit 1 and print the whole help; one line per error and where to look is enough.
    private static int ReportUsageErrors(ParseResult parse)
    {
        foreach (var error in parse.Errors)
            Console.Error.WriteLine("error: " + Friendly(error.Message, name => OptionChecks.AcceptedBy(OptionNamed(parse, name))));
        var verb = parse.CommandResult.Command is RootCommand ? "" : " " + parse.CommandResult.Command.Name;
        Console.Error.WriteLine($"Run 'mlnetcnn{verb} --help' for usage.");
        return ExitCodes.UsageError;
    }

    /// <summary>
    /// "Cannot parse argument 'abc' for option '--epochs' as expected type 'System.Int32'." in the CLI's words, with the
    /// range the option accepts when <paramref name="acceptedBy"/> knows it ("--epochs: 'abc' is not a whole number; it
    /// must be at least 1.").
    /// </summary>
    internal static string Friendly(string message, Func<string, string?>? acceptedBy = null)
    {
        var match = ConversionError().Match(message);
        if (!match.Success) return message;
        var type = match.Groups["type"].Value;
        var option = match.Groups["option"].Value;
        var expected = type.Contains("Int32", StringComparison.Ordinal) || type.Contains("Int64", StringComparison.Ordinal) ? "a whole number"
            : type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) ? "a number, e.g. 0.001"
            : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
            : "a value of another form (see --help)";
        var range = acceptedBy?.Invoke(option) is { } accepted ? $"; it must be {accepted}" : "";
        return $"{option}: '{match.Groups["value"].Value}' is not {expected}{range}.";
    }

    // The option a parse error names, looked up from the verb outwards (the root's options apply to it too).
    private static Option? OptionNamed(ParseResult parse, string name)
    {
        for (SymbolResult? result = parse.CommandResult; result != null; result = result.Parent)
        {
            if (result is CommandResult command && command.Command.Options.FirstOrDefault(o => o.Name == name || o.Aliases.Contains(name)) is { } option)
                return option;
        }
        return null;
    }

    [GeneratedRegex(@"Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'")]
    private static partial Regex ConversionError();
}
