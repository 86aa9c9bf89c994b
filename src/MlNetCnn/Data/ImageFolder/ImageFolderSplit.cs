namespace MlNetCnn.Data.ImageFolder;

/// <summary>Which images of an image-folder dataset to read.</summary>
public enum ImageFolderSplit
{
    /// <summary>Every image (both trees of a nested layout, or the whole single tree).</summary>
    All,

    /// <summary>The <c>train/</c> tree, or the images of a single tree not held out by <see cref="ImageFolderOptions.TestFraction"/>.</summary>
    Train,

    /// <summary>The <c>test/</c> tree, or the held-out <see cref="ImageFolderOptions.TestFraction"/> of each class of a single tree.</summary>
    Test,
}

/// <summary>How an image-folder dataset is laid out.</summary>
public enum ImageFolderLayout
{
    /// <summary><c>root/class/image</c>: the test split is a seeded, stratified fraction of each class.</summary>
    SingleTree,

    /// <summary><c>root/train/class/image</c> and <c>root/test/class/image</c>.</summary>
    TrainTestTrees,

    /// <summary><c>root/train/class/image</c> without a <c>test/</c> tree: the test split is a seeded, stratified fraction of each class.</summary>
    TrainTreeOnly,
}
