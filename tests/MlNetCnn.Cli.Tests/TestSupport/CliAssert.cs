namespace MlNetCnn.Cli.Tests.TestSupport;

/// <summary>The checks every CLI test makes of a run: its exit code, the words its message must hold, nothing written.</summary>
internal static class CliAssert
{
    /// <summary>
    /// Asserts <paramref name="run"/> exited with <paramref name="expectedCode"/> and its output contains each of
    /// <paramref name="mentions"/> (ordinal); returns the output for further checks.
    /// </summary>
    public static string Exited(int expectedCode, (int Code, string Output) run, params string[] mentions)
    {
        // The output in the failure message: a wrong exit code is only explained by what the CLI said.
        Assert.True(run.Code == expectedCode, $"exit {run.Code}, expected {expectedCode}: {run.Output}");
        foreach (var mention in mentions) Assert.Contains(mention, run.Output);
        return run.Output;
    }

    /// <summary>Asserts none of <paramref name="paths"/> exists, as a file or a folder: the refused run wrote nothing there.</summary>
    public static void NotWritten(params string[] paths)
    {
        foreach (var path in paths)
            Assert.False(File.Exists(path) || Directory.Exists(path), $"'{path}' was written");
    }
}
