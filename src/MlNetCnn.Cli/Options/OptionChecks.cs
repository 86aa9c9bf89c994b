using System.CommandLine;
using System.CommandLine.Parsing;

namespace MlNetCnn.Cli.Options;

/// <summary>
/// Validators that run while the command line is parsed, so a bad value stops the command with exit code 2 and a
/// message in the CLI's own option names ("--epochs must be at least 1, got 0") before any data is read. One helper
/// per kind of check; new options add one line. Every validator reads the value through <see cref="TryGetValue"/>, so
/// a token that does not convert (<c>--epochs abc</c>) is left to System.CommandLine's own error (exit 2) instead of
/// throwing out of the validator.
/// </summary>
public static class OptionChecks
{
    /// <summary>The option's value, or false when its tokens do not convert to <typeparamref name="T"/> (that error is System.CommandLine's to report).</summary>
    public static bool TryGetValue<T>(OptionResult result, out T? value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false;
        }
    }

    // What each checked option accepts, for the message when its value does not even convert (`--epochs abc`).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Option, string> Accepted = new();

    /// <summary>What <paramref name="option"/> accepts ("at least 1"), when a check says so; null otherwise.</summary>
    public static string? AcceptedBy(Option? option) => option != null && Accepted.TryGetValue(option, out var expected) ? expected : null;

    /// <summary>The value must satisfy <paramref name="valid"/>; <paramref name="expected"/> says what is accepted.</summary>
    public static Option<T> Check<T>(this Option<T> option, Func<T, bool> valid, string expected)
    {
        Accepted.AddOrUpdate(option, expected);
        option.Validators.Add(result =>
        {
            // A token that does not convert already carries System.CommandLine's own error.
            if (result.Errors.Any() || !TryGetValue<T>(result, out var value)) return;
            if (value is not null && !valid(value))
                result.AddError($"{option.Name} must be {expected}, got {Show(result, value)}.");
        });
        return option;
    }

    public static Option<int> AtLeast(this Option<int> option, int minimum) => option.Check(v => v >= minimum, $"at least {minimum}");

    public static Option<int?> AtLeast(this Option<int?> option, int minimum) => option.Check(v => v is null || v >= minimum, $"at least {minimum}");

    /// <summary>
    /// Every string option of <paramref name="command"/> and its subcommands refuses an empty or blank value (exit 2):
    /// <c>--images ""</c>, <c>--class-names ""</c> or an empty <c>--data</c> must not silently mean the default.
    /// Applied once to the whole tree (by <see cref="CliApplication.Build"/>), so options added later are covered.
    /// </summary>
    public static void RefuseEmptyValues(Command command)
    {
        foreach (var option in command.Options)
        {
            if (option.ValueType == typeof(string))
            {
                var current = option;
                option.Validators.Add(result => RefuseBlank(current, result));
            }
        }
        foreach (var sub in command.Subcommands)
            RefuseEmptyValues(sub);
    }

    /// <summary>The value must parse with <paramref name="parse"/>, whose <see cref="CliException"/> message becomes the error.</summary>
    public static Option<T> Parsed<T, TResult>(this Option<T> option, Func<T?, TResult> parse)
    {
        option.Validators.Add(result =>
        {
            if (result.Errors.Any() || !TryGetValue<T>(result, out var value)) return;
            try
            {
                parse(value);
            }
            catch (CliException e)
            {
                result.AddError(e.Message);
            }
        });
        return option;
    }

    private static void RefuseBlank(Option option, OptionResult result)
    {
        if (result.Tokens.Count > 0 && result.Tokens.All(t => string.IsNullOrWhiteSpace(t.Value)))
            result.AddError($"{option.Name} was given an empty value; give a value or leave the option out.");
    }

    private static string Show<T>(OptionResult result, T value) =>
        result.Tokens.Count > 0 ? result.Tokens[^1].Value : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
}
