namespace MlNetCnn.Tests.TestSupport;

/// <summary>TEMPORARY (replaced by the data branch's version on merge).</summary>
public static class SharedData
{
    public static string CifarDirectory
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("MLNETCNN_CIFAR_DIR");
            if (!string.IsNullOrEmpty(env)) return env;
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "cifar-10-subset");
                if (Directory.Exists(candidate)) return candidate;
            }
            throw new DirectoryNotFoundException("shared/cifar-10-subset not found");
        }
    }
}
