using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using MlNetCnn.Cli.Kernel;

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

    /// <summary>
    /// Every numeric option of <paramref name="command"/> and its subcommands reads its value the same in every locale:
    /// digits with an optional sign, and for fractional options a decimal point and exponent (invariant culture). The
    /// default conversion used the current culture, so under de_DE <c>--learning-rate 0.001</c> was 1 ("." groups
    /// thousands there) and in any locale <c>0,001</c> or <c>1,5</c> passed as 1 and 15. A decimal comma is refused with the
    /// value written with a point; NaN and infinities are refused. Applied once to the whole tree, like <see cref="RefuseEmptyValues"/>.
    /// </summary>
    public static void ParseNumbersInvariantly(Command command)
    {
        foreach (var option in command.Options)
        {
            switch (option)
            {
                case Option<int> o: o.CustomParser = r => ParseWhole<int>(o, r); break;
                case Option<int?> o: o.CustomParser = r => ParseWhole<int>(o, r); break;
                case Option<long> o: o.CustomParser = r => ParseWhole<long>(o, r); break;
                case Option<long?> o: o.CustomParser = r => ParseWhole<long>(o, r); break;
                case Option<double> o: o.CustomParser = r => ParseFractional<double>(o, r); break;
                case Option<double?> o: o.CustomParser = r => ParseFractional<double>(o, r); break;
                case Option<float> o: o.CustomParser = r => ParseFractional<float>(o, r); break;
                case Option<float?> o: o.CustomParser = r => ParseFractional<float>(o, r); break;
            }
        }
        foreach (var sub in command.Subcommands)
            ParseNumbersInvariantly(sub);
    }

    private static T ParseWhole<T>(Option option, ArgumentResult result) where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (T.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)) return value;
        // The range the option accepts (its Check), not the type's: "at least 1", not "from -2147483648 to 2147483647".
        var range = AcceptedBy(option) is { } accepted ? $"; it must be {accepted}" : "";
        result.AddError($"{option.Name}: '{text}' is not a whole number{range}.");
        return default;
    }

    private static T ParseFractional<T>(Option option, ArgumentResult result) where T : struct, IFloatingPointIeee754<T>
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && T.IsFinite(value)) return value;
        var withPoint = text.Trim().Replace(',', '.');
        result.AddError(text.Contains(',', StringComparison.Ordinal) && T.TryParse(withPoint, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? $"{option.Name}: '{text}' has a decimal comma; numbers are read with a decimal point in every locale: write {withPoint}."
            : $"{option.Name}: '{text}' is not a finite number (expected e.g. 0.001 or 1e-3, with a decimal point in every locale).");
        return default;
    }

    /// <summary>
    /// <paramref name="first"/> and <paramref name="second"/> cannot both be given on <paramref name="command"/>'s line: a
    /// usage error naming both, at parse time (one of them would otherwise be ignored without a word).
    /// </summary>
    public static void Exclusive(Command command, Option first, Option second)
    {
        command.Validators.Add(result =>
        {
            if (result.GetResult(first) is { Implicit: false } && result.GetResult(second) is { Implicit: false })
                result.AddError($"{first.Name} and {second.Name} cannot be given together; give one of them.");
        });
    }

    /// <summary>
    /// The option's text becomes a <typeparamref name="T"/> while the command line is parsed (its custom parser), so the
    /// action reads the typed value and nothing parses the text a second time. A blank value is refused first (as
    /// <see cref="RefuseEmptyValues"/> does for text options); for a list (<paramref name="listExample"/> given, and the
    /// description says "comma separated", which is how the option fuzzing finds every list option) an empty item
    /// (<c>a,,b</c>, <c>a,</c>, <c>,</c>) next; then a <see cref="CliException"/> from <paramref name="parse"/> becomes the
    /// usage error, in its own words.
    /// </summary>
    public static Option<T> ParsedAs<T>(this Option<T> option, Func<string, T> parse, string? listExample = null)
    {
        if (listExample != null && option.Description?.Contains("comma separated", StringComparison.Ordinal) != true)
            option.Description = (option.Description ?? "") + " (comma separated)";
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (string.IsNullOrWhiteSpace(text))
            {
                result.AddError(EmptyValue(option));
                return default!;
            }
            if (listExample != null && text.Split(',').Any(item => item.Trim().Length == 0))
            {
                result.AddError($"{option.Name}: '{text}' has an empty item; separate the values with single commas (e.g. {listExample}).");
                return default!;
            }
            return ParseOrAddError(result, text, parse);
        };
        return option;
    }

    /// <summary>
    /// The argument's one token becomes a <typeparamref name="T"/> while the command line is parsed, as
    /// <see cref="ParsedAs{T}(Option{T}, Func{string, T}, string?)"/> does for options: a <see cref="CliException"/> from
    /// <paramref name="parse"/> becomes the usage error, in its own words. Exactly one token, even for a list type.
    /// </summary>
    public static Argument<T> ParsedAs<T>(this Argument<T> argument, Func<string, T> parse)
    {
        argument.Arity = ArgumentArity.ExactlyOne;
        argument.CustomParser = result => ParseOrAddError(result, result.Tokens.Count > 0 ? result.Tokens[0].Value : "", parse);
        return argument;
    }

    private static T ParseOrAddError<T>(ArgumentResult result, string text, Func<string, T> parse)
    {
        try
        {
            return parse(text);
        }
        catch (CliException e)
        {
            result.AddError(e.Message);
            return default!;
        }
    }

    private static void RefuseBlank(Option option, OptionResult result)
    {
        if (result.Tokens.Count > 0 && result.Tokens.All(t => string.IsNullOrWhiteSpace(t.Value)))
            result.AddError(EmptyValue(option));
    }

    private static string EmptyValue(Option option) => $"{option.Name} was given an empty value; give a value or leave the option out.";

    private static string Show<T>(OptionResult result, T value) =>
        result.Tokens.Count > 0 ? result.Tokens[^1].Value : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
}
