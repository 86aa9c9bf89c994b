namespace MlNetCnn.Tests.TestSupport;

/// <summary>The checkout the tests were built from, wherever the clone sits: the first folder above the test binaries holding MlNetCnn.sln.</summary>
internal static class Repository
{
    private static readonly Lazy<string> Found = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MlNetCnn.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"No MlNetCnn.sln above '{AppContext.BaseDirectory}'.");
    });

    /// <summary>The repository's root folder.</summary>
    public static string Root => Found.Value;

    /// <summary>A path inside the repository, from its parts.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);
}
