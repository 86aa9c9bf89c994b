using System.CommandLine;
using System.CommandLine.Parsing;

namespace MlNetCnn.Cli;

/// <summary>
/// Validators that run while the command line is parsed, so a bad value stops the command with exit code 2 and a
/// message in the CLI's own option names ("--epochs must be at least 1, got 0") before any data is read. One helper
/// per kind of check; new options add one line.
/// </summary>
public static class OptionChecks
{
    /// <summary>The value must satisfy <paramref name="valid"/>; <paramref name="expected"/> says what is accepted.</summary>
    public static Option<T> Check<T>(this Option<T> option, Func<T, bool> valid, string expected)
    {
        option.Validators.Add(result =>
        {
            // A token that does not convert already carries System.CommandLine's own error.
            if (result.Errors.Any()) return;
            var value = result.GetValueOrDefault<T>();
            if (value is not null && !valid(value))
                result.AddError($"{option.Name} must be {expected}, got {Show(result, value)}.");
        });
        return option;
    }

    public static Option<int> AtLeast(this Option<int> option, int minimum) => option.Check(v => v >= minimum, $"at least {minimum}");

    public static Option<int?> AtLeast(this Option<int?> option, int minimum) => option.Check(v => v is null || v >= minimum, $"at least {minimum}");

    /// <summary>Given values must not be empty or blank (an empty --data must not silently mean "search as usual").</summary>
    public static Option<string?> NotBlank(this Option<string?> option)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && string.IsNullOrWhiteSpace(result.GetValueOrDefault<string?>()))
                result.AddError($"{option.Name} was given an empty value; pass a path or leave the option out.");
        });
        return option;
    }

    /// <summary>The value must parse with <paramref name="parse"/>, whose <see cref="CliException"/> message becomes the error.</summary>
    public static Option<T> Parsed<T, TResult>(this Option<T> option, Func<T?, TResult> parse)
    {
        option.Validators.Add(result =>
        {
            if (result.Errors.Any()) return;
            try
            {
                parse(result.GetValueOrDefault<T>());
            }
            catch (CliException e)
            {
                result.AddError(e.Message);
            }
        });
        return option;
    }

    private static string Show<T>(OptionResult result, T value) =>
        result.Tokens.Count > 0 ? result.Tokens[^1].Value : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
}
