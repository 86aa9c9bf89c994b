using System.CommandLine;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Tests.TestSupport;
using MlNetCnn.Tests.TestSupport;
using Xunit.Abstractions;

namespace MlNetCnn.Cli.Tests.Options;

/// <summary>
/// Option-value fuzzing driven by the command definitions (issue 20): every numeric option of every verb — found by
/// walking <see cref="CliApplication.Build"/>, so an option added later is fuzzed without touching this file — gets random
/// strings, huge, negative, fractional and empty values. A value its type cannot hold must be exit 2 naming the option,
/// with no stack trace; a value that parses (a negative seed) must either run or be refused the same way, never crash.
/// Every string option refuses an empty value the same way.
/// </summary>
[Collection("console")]
public class OptionFuzzTests
{
    private const int Seed = 20;
    private const int RandomStringsPerOption = 12;
    private readonly ITestOutputHelper log;

    public OptionFuzzTests(ITestOutputHelper log) => this.log = log;

    /// <summary>Each command of the tree with the words that select it and the baseline arguments its parse needs.</summary>
    public static IEnumerable<(string[] Path, Command Command)> Commands()
    {
        var root = CliApplication.Build();
        yield return ([], root);
        foreach (var sub in root.Subcommands)
            yield return ([sub.Name], sub);
    }

    [Fact]
    public void TheWalkFindsTheKnownNumericOptionsOfEveryVerb()
    {
        var found = Commands().SelectMany(c => NumericOptions(c.Command).Select(o => $"{Name(c.Path)} {o.Name}")).ToHashSet();
        foreach (var expected in new[] { "mlnetcnn --epochs", "mlnetcnn --batch-size", "train --epochs", "train --seed", "train --threads", "train --batch-size",
                     "train --learning-rate", "train --max-train", "train --stream-buffer", "experiment --seed", "experiment --threads" })
            Assert.Contains(expected, found);
    }

    [Fact]
    public async Task EveryNumericOptionOfEveryVerbRefusesValuesItsTypeCannotHoldWithExit2AndItsName()
    {
        var random = new Random(Seed);
        var runs = 0;
        foreach (var (path, command) in Commands())
        {
            var baseline = Baseline(path, command);
            Assert.True(CliApplication.Build().Parse(baseline).Errors.Count == 0, $"baseline '{string.Join(' ', baseline)}' must parse: " +
                string.Join("; ", CliApplication.Build().Parse(baseline).Errors.Select(e => e.Message)));
            foreach (var option in NumericOptions(command))
            {
                var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
                foreach (var value in InvalidValues(type, random))
                {
                    string[] args = [.. baseline, option.Name, value];
                    var (code, output) = await InProcessCli.Run(args);
                    runs++;
                    Assert.True(code == ExitCodes.UsageError, $"'{string.Join(' ', args)}' exited {code}: {output}");
                    Assert.Contains(option.Name, output);
                    AssertNoCrash(args, output);
                }
                foreach (var value in MaybeValidValues(type))
                {
                    string[] args = [.. baseline, option.Name, value];
                    // A value the option accepts would start the command's work: only check that the parse itself holds.
                    if (CliApplication.Build().Parse(args).Errors.Count == 0) continue;
                    var (code, output) = await InProcessCli.Run(args);
                    runs++;
                    Assert.True(code == ExitCodes.UsageError, $"'{string.Join(' ', args)}' exited {code}: {output}");
                    Assert.Contains(option.Name, output);
                    AssertNoCrash(args, output);
                }
            }
        }
        log.WriteLine($"{runs} fuzzed command lines (seed {Seed}), all exit 2 naming the option.");
        Assert.True(runs > 200, $"only {runs} runs: the walk found too few options");
    }

    [Fact]
    public async Task EveryStringOptionOfEveryVerbRefusesAnEmptyValue()
    {
        var runs = 0;
        foreach (var (path, command) in Commands())
        {
            var baseline = Baseline(path, command);
            // Text options and typed ones (lists, sizes, URLs, --target): every option that takes a value but a number.
            foreach (var option in command.Options.Where(o => o.ValueType != typeof(bool) && o.Arity.MaximumNumberOfValues > 0 && !NumericOptions(command).Contains(o)))
            {
                foreach (var value in new[] { "", " " })
                {
                    // The baseline may already give this option; give it once, empty.
                    var args = WithoutOption(baseline, option).Append(option.Name).Append(value).ToArray();
                    var (code, output) = await InProcessCli.Run(args);
                    runs++;
                    Assert.True(code == ExitCodes.UsageError, $"'{string.Join(' ', args)}' exited {code}: {output}");
                    Assert.Contains($"{option.Name} was given an empty value", output);
                    AssertNoCrash(args, output);
                }
            }
        }
        Assert.True(runs > 40, $"only {runs} runs");
    }

    /// <summary>Issue 30: every fractional option refuses a decimal comma, and every numeric option reads a value the same under any current culture.</summary>
    [Fact]
    public async Task EveryNumericOptionReadsTheSameInEveryLocaleAndEveryFractionalOneRefusesADecimalComma()
    {
        var checkedOptions = 0;
        foreach (var (path, command) in Commands())
        {
            var baseline = Baseline(path, command);
            foreach (var option in NumericOptions(command))
            {
                var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
                var fractional = type == typeof(double) || type == typeof(float);
                var value = fractional ? "0.25" : "1000";
                var expected = CliApplication.Build().Parse([.. baseline, option.Name, value]).GetValue<object>(option.Name);
                var previous = System.Globalization.CultureInfo.CurrentCulture;
                try
                {
                    foreach (var culture in new[] { "de-DE", "fr-FR", "tr-TR" })
                    {
                        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo(culture);
                        var parse = CliApplication.Build().Parse([.. baseline, option.Name, value]);
                        Assert.True(parse.Errors.Count == 0, $"{Name(path)} {option.Name} {value} under {culture}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
                        Assert.Equal(expected, parse.GetValue<object>(option.Name));
                    }
                }
                finally
                {
                    System.Globalization.CultureInfo.CurrentCulture = previous;
                }
                if (fractional)
                {
                    string[] args = [.. baseline, option.Name, "0,25"];
                    var (code, output) = await InProcessCli.Run(args);
                    Assert.True(code == ExitCodes.UsageError, $"'{string.Join(' ', args)}' exited {code}: {output}");
                    Assert.Contains($"{option.Name}: '0,25' has a decimal comma", output);
                    Assert.Contains("write 0.25", output);
                }
                checkedOptions++;
            }
        }
        Assert.True(checkedOptions > 10, $"only {checkedOptions} numeric options found");
    }

    /// <summary>Issue 30: every list option (its help says "comma separated") refuses an empty item, naming the option.</summary>
    [Fact]
    public async Task EveryListOptionRefusesAnEmptyItem()
    {
        var found = new List<string>();
        foreach (var (path, command) in Commands())
        {
            var baseline = Baseline(path, command);
            foreach (var option in command.Options.Where(o => o.Description?.Contains("comma separated", StringComparison.Ordinal) == true))
            {
                found.Add($"{Name(path)} {option.Name}");
                foreach (var value in new[] { "1,,2", ",", "1,", ",1", "1, ,2" })
                {
                    var args = WithoutOption(baseline, option).Append(option.Name).Append(value).ToArray();
                    var (code, output) = await InProcessCli.Run(args);
                    Assert.True(code == ExitCodes.UsageError, $"'{string.Join(' ', args)}' exited {code}: {output}");
                    Assert.Contains($"{option.Name}: '{value}' has an empty item", output);
                    AssertNoCrash(args, output);
                }
            }
        }
        foreach (var expected in new[] { "report --images", "explain --images", "explain --methods", "report --class-names", "train --conv-channels", "experiment --seeds", "report --experiments" })
            Assert.Contains(expected, found);
    }

    /// <summary>Issue 30: every verb with --output refuses to write over each of its inputs (--model, --data), with or without --force.</summary>
    [UnixFact]
    public async Task EveryVerbRefusesAnOutputThatIsOneOfItsInputs()
    {
        var runs = 0;
        foreach (var (path, command) in Commands())
        {
            if (!command.Options.Any(o => o.Name == "--output")) continue;
            foreach (var input in command.Options.Where(o => o.Name is "--model" or "--data"))
            {
                using var temp = new TempDirectory();
                var data = temp.Combine("data");
                Directory.CreateDirectory(Path.Combine(data, "cat"));
                var model = temp.Combine("m.zip");
                File.WriteAllText(model, "the user's model");
                var image = Path.Combine(data, "cat", "000.png");
                File.WriteAllText(image, "the user's image");
                var victim = input.Name == "--model" ? model : image;
                var args = new List<string>(path);
                foreach (var _ in command.Arguments) args.Add("all");
                if (command.Options.Any(o => o.Name == "--model")) args.AddRange(["--model", model]);
                if (command.Options.Any(o => o.Name == "--data")) args.AddRange(["--data", data]);
                args.AddRange(["--output", victim, "--force", "-q"]);
                var before = File.ReadAllText(victim);
                var (code, output) = await InProcessCli.Run([.. args]);
                runs++;
                Assert.True(code == ExitCodes.UsageError, $"'{string.Join(' ', args)}' exited {code}: {output}");
                Assert.Contains("is the same file as", output);
                Assert.Contains(victim, output);
                Assert.Equal(before, File.ReadAllText(victim));
            }
        }
        Assert.True(runs >= 8, $"only {runs} verb/input pairs found");
    }

    /// <summary>Issue 30: every verb, started with stdout and/or stderr closed, answers a usage error with exit 2 (it aborted with 134).</summary>
    [UnixFact]
    public async Task EveryVerbStartedWithClosedStandardStreamsKeepsItsExitCode()
    {
        foreach (var (path, _) in Commands())
        {
            foreach (var redirections in new[] { "2>&-", ">&- 2>&-" })
            {
                var code = await CliProcess.RunWithStreams(redirections, [.. path, "--no-such-option"]);
                Assert.True(code == ExitCodes.UsageError, $"'mlnetcnn {string.Join(' ', path)} --no-such-option {redirections}' exited {code}");
            }
        }
    }

    private static void AssertNoCrash(string[] args, string output)
    {
        Assert.False(output.Contains("Unhandled", StringComparison.Ordinal) || output.Contains("   at ", StringComparison.Ordinal),
            $"'{string.Join(' ', args)}' printed a stack trace: {output}");
        Assert.DoesNotContain("System.", output);
    }

    private static IEnumerable<Option> NumericOptions(Command command) => command.Options.Where(o =>
        (Nullable.GetUnderlyingType(o.ValueType) ?? o.ValueType) is var t &&
        (t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(double) || t == typeof(float) || t == typeof(decimal)));

    /// <summary>The verb, its arguments and required options with placeholder values: parses without error, runs nothing.</summary>
    private static string[] Baseline(string[] path, Command command)
    {
        var args = new List<string>(path);
        foreach (var _ in command.Arguments) args.Add("all");
        foreach (var option in command.Options.Where(o => o.Required))
            args.AddRange([option.Name, option.Name == "--output" ? "out.zip" : "model.zip"]);
        args.Add("-q");
        return args.ToArray();
    }

    private static IEnumerable<string> WithoutOption(string[] args, Option option)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == option.Name || option.Aliases.Contains(args[i])) { i++; continue; }
            yield return args[i];
        }
    }

    /// <summary>Values no option of <paramref name="type"/> can hold: not numbers, out of the type's range, fractional for whole numbers, empty.</summary>
    private static IEnumerable<string> InvalidValues(Type type, Random random)
    {
        var whole = type == typeof(int) || type == typeof(long) || type == typeof(short);
        yield return "";
        yield return " ";
        yield return "abc";
        yield return "1O"; // letter O
        yield return "--";
        yield return "0x10";
        yield return "1 2";
        yield return "٣"; // a digit of another script
        yield return "9".PadRight(400, '9');
        yield return "-" + "9".PadRight(400, '9');
        if (whole)
        {
            yield return "1.5";
            yield return "-0.5";
            yield return "1e3";
            yield return type == typeof(long) ? "99999999999999999999" : "99999999999";
            yield return "NaN";
        }
        else
        {
            yield return "1e400";
            yield return "-1e400";
            yield return "NaN";
            yield return "Infinity";
        }
        for (var i = 0; i < RandomStringsPerOption; i++)
            yield return RandomNonNumber(random);
    }

    /// <summary>Values some options accept and others refuse (negative, zero, fractional for floating point).</summary>
    private static IEnumerable<string> MaybeValidValues(Type type) =>
        type == typeof(double) || type == typeof(float) || type == typeof(decimal)
            ? ["-1", "0", "-0.0001", "1e-300"]
            : ["-1", "0", "-2147483648", "2147483647"];

    private static string RandomNonNumber(Random random)
    {
        const string alphabet = "abcxyzXYZ0123456789.,-+eE _/\\'\"%$#@!~`é€∞\t";
        var length = random.Next(1, 24);
        var chars = new char[length];
        for (var i = 0; i < length; i++) chars[i] = alphabet[random.Next(alphabet.Length)];
        // At least one letter that no number format accepts, so the value is never a number.
        chars[random.Next(length)] = "qwzQWZ"[random.Next(6)];
        return new string(chars);
    }

    private static string Name(string[] path) => path.Length == 0 ? "mlnetcnn" : path[0];
}
