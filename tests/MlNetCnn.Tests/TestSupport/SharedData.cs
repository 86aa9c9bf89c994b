namespace MlNetCnn.Tests.TestSupport;

/// <summary>
/// Locates the real CIFAR-10 subset that lives beside the repository (never inside it): the first
/// <c>shared/cifar-10-subset</c> directory found walking up from the test binaries, or <c>MLNETCNN_CIFAR_DIR</c>.
/// </summary>
public static class SharedData
{
    public const string EnvironmentVariable = "MLNETCNN_CIFAR_DIR";

    /// <summary>Records in each file of the subset (the first 1,017 of each official batch).</summary>
    public const int RecordsPerFile = 1017;

    private static readonly Lazy<string> Directory = new(Locate);

    /// <summary>Full path of the subset directory; throws (so tests fail, not skip) when it cannot be found.</summary>
    public static string CifarDirectory => Directory.Value;

    private static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            if (System.IO.Directory.Exists(fromEnvironment))
                return Path.GetFullPath(fromEnvironment);
            throw new DirectoryNotFoundException($"{EnvironmentVariable} is set to '{fromEnvironment}', which does not exist.");
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "cifar-10-subset");
            if (System.IO.Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException(
            $"The CIFAR-10 subset was not found: no 'shared/cifar-10-subset' directory in '{AppContext.BaseDirectory}' or any parent. " +
            $"Place it beside the repository (../shared/cifar-10-subset) or set {EnvironmentVariable} to its path.");
    }
}
