using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using MlNetCnn.Cli.Kernel;
using MlNetCnn.Cli.Tests.TestSupport;
using MlNetCnn.Model;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Cli.Tests.Options;

/// <summary>
/// Issue 30: numbers are read and printed the same in every locale. Under <c>LANG=de_DE.UTF-8</c> the CLI trained
/// <c>--learning-rate 0.001</c> as 1 ("." groups thousands there), under fr_FR refused it, and in any locale took
/// <c>0,001</c> as 1. Now the same command line gives the same training, the same messages and the same page in every
/// locale, and a decimal comma is refused naming the option and showing the value with a point.
/// </summary>
[Collection("console")]
public partial class NumberCultureTests
{
    private static readonly string Data = SharedData.CifarDirectory;

    /// <summary>Locales whose decimal separator, group separator or casing differ from the invariant culture's (.NET's ICU has them all).</summary>
    public static TheoryData<string> Locales => new() { "de_DE.UTF-8", "fr_FR.UTF-8", "tr_TR.UTF-8" };

    [UnixFact]
    public async Task EveryLocaleTrainsPrintsAndWritesPagesLikeTheInvariantCulture()
    {
        var baseline = await TrainAndReport("C.UTF-8");
        Assert.Contains("Adam lr 0.002,", baseline.Messages);
        foreach (var locale in Locales)
        {
            var run = await TrainAndReport(locale);
            Assert.Equal(baseline.Settings, run.Settings); // learningRate 0.002 in the model file, not 2 or refused
            Assert.Equal(baseline.Losses, run.Losses);
            Assert.Equal(baseline.Messages, run.Messages);
            Assert.True(baseline.Page == run.Page, $"the report under {locale} differs from the invariant one");
        }
    }

    private sealed record Outcome(string Settings, string Losses, string Messages, string Page);

    private static async Task<Outcome> TrainAndReport(string locale)
    {
        using var temp = new TempDirectory();
        var environment = new Dictionary<string, string> { ["LANG"] = locale, ["LC_ALL"] = locale };
        var model = temp.Combine("m.zip");
        var train = await CliProcess.Run(["train", "--data", Data, "--epochs", "1", "--max-train", "40", "--learning-rate", "0.002", "--output", model], environment);
        Assert.True(train.Code == ExitCodes.Success, $"{locale}: exit {train.Code}: {train.Error}");
        var page = temp.Combine("r.html");
        var report = await CliProcess.Run(["report", "--model", model, "--data", Data, "--images", "0,1", "--no-explorer", "--output", page], environment);
        Assert.True(report.Code == ExitCodes.Success, $"{locale}: exit {report.Code}: {report.Error}");

        using var zip = ZipFile.OpenRead(model);
        string Entry(string name)
        {
            using var reader = new StreamReader(zip.GetEntry(name)!.Open());
            return reader.ReadToEnd();
        }
        var losses = string.Join(";", JsonDocument.Parse(Entry("history.json")).RootElement.EnumerateArray()
            .Select(e => e.GetProperty("trainingLoss").GetDouble().ToString("R", CultureInfo.InvariantCulture)));
        return new Outcome(Entry("settings.json"), losses, Normalize(train.Output + train.Error + report.Output + report.Error, temp.Path),
            Normalize(await File.ReadAllTextAsync(page), temp.Path));
    }

    // Run times, dates, the charts' random element ids and the run's own folder differ between any two runs; nothing else may.
    private static string Normalize(string text, string folder) =>
        ElementId().Replace(Timestamp().Replace(Seconds().Replace(text.Replace(folder, "<dir>", StringComparison.Ordinal), "<s>"), "<time>"), "<id>");

    [GeneratedRegex(@"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")]
    private static partial Regex ElementId();

    [GeneratedRegex(@"\d+(\.\d+)? (s|MB)\b")]
    private static partial Regex Seconds();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?")]
    private static partial Regex Timestamp();

    [Theory]
    [InlineData("0,001", "0.001")]
    [InlineData("1,5", "1.5")]
    [InlineData("1e-3,5", null)]
    [InlineData(" 0,5 ", "0.5")]
    public async Task ADecimalCommaIsRefusedNamingTheOptionAndShowingTheValueWithAPoint(string value, string? suggestion)
    {
        var (code, output) = await InProcessCli.Run("train", "--learning-rate", value, "--data", "/nowhere", "-q");
        CliAssert.Exited(ExitCodes.UsageError, (code, output), "--learning-rate", $"'{value}'");
        if (suggestion != null) Assert.Contains($"write {suggestion.Trim()}", output);
    }

    /// <summary>In-process, under each locale set as the current culture: the run reads and prints invariantly on its own.</summary>
    [Fact]
    public async Task ARunInAHostWithAnotherCultureReadsAndPrintsInvariantly()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            foreach (var name in new[] { "de-DE", "fr-FR", "tr-TR" })
            {
                CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
                var (code, output) = await InProcessCli.Run("train", "--data", Data, "--epochs", "1", "--max-train", "8", "--learning-rate", "0.0015", "--batch-size", "4");
                CliAssert.Exited(ExitCodes.Success, (code, output), "Adam lr 0.0015,", "accuracy ");
                Assert.Matches(@"test accuracy: \d+\.\d\d %", output);
                Assert.Equal(name, CultureInfo.CurrentCulture.Name); // the host keeps its culture
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    /// <summary>The library prints invariantly on its own: an app with its own culture gets the same log lines.</summary>
    [Fact]
    public void TheLibrarysEpochLineIsTheSameInEveryCulture()
    {
        var metrics = new EpochMetrics(3, 1.23456, 0.5, 2.5, 0.25, 12.34);
        var invariant = metrics.Describe();
        var previous = CultureInfo.CurrentCulture;
        try
        {
            foreach (var name in new[] { "de-DE", "fr-FR", "tr-TR" })
            {
                CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
                Assert.Equal(invariant, metrics.Describe());
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
        Assert.Contains("1.2346", invariant);
    }
}
