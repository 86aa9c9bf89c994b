using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Layout;

/// <summary>
/// Issue 27: the public surface stays at most 1,200 entries. The build already fails on a public member missing from
/// PublicAPI.*.txt (RS0016) and on an entry whose member is gone (RS0017), so the files' count is the surface's.
/// </summary>
public class PublicSurfaceTests
{
    private const int Budget = 1200;

    [Fact]
    public void ThePublicApiHasAtMostTwelveHundredEntries()
    {
        var entries = new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" }
            .SelectMany(file => File.ReadLines(Repository.Combine("src", "MlNetCnn", file)))
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToList();
        Assert.True(entries.Count > 500, $"only {entries.Count} entries read: are these the PublicAPI files?");
        Assert.True(entries.Count <= Budget,
            $"{entries.Count} public entries, over the budget of {Budget}: make what no ML.NET user or report/experiment author calls internal.");
    }
}
