namespace MlNetCnn.Data;

/// <summary>What kind of dataset a folder holds (see <see cref="DataFolder.Detect"/>).</summary>
public enum DataFolderKind
{
    /// <summary>The official CIFAR-10 binary files (or a subset in the same layout).</summary>
    Cifar10,

    /// <summary>One sub-folder of image files per class (or train/ and test/ trees of them).</summary>
    ImageFolder,
}
