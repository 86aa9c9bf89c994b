namespace MlNetCnn.Data.ImageFolder;

/// <summary>What is wrong with an image-folder dataset; <see cref="ImageFolderException.Problem"/> says which.</summary>
public enum ImageFolderProblem
{
    /// <summary>The root holds no class folder (no sub-folder with images).</summary>
    NoClassFolders,

    /// <summary>A class folder holds no image file (after skipping invalid files, when that is asked for).</summary>
    EmptyClassFolder,

    /// <summary>A file is 0 bytes long.</summary>
    EmptyFile,

    /// <summary>A file's name or content is not one of the supported image formats.</summary>
    NotAnImage,

    /// <summary>A file or folder could not be read (permissions, I/O error).</summary>
    Unreadable,

    /// <summary>The nested layout is incomplete or inconsistent (a <c>test/</c> without <c>train/</c>, a test class the training tree lacks).</summary>
    InvalidLayout,

    /// <summary>Only one class folder: a classifier needs at least two.</summary>
    TooFewClasses,

    /// <summary>An image file ends before its image does (cut short while copying or downloading): the decoder ran out of data.</summary>
    Truncated,

    /// <summary>An image file's compressed data is damaged: the decoder reported an error in it (for PNG, a failed CRC or bad deflate data).</summary>
    CorruptData,

    /// <summary>A symbolic link leads back to a folder that contains it (<c>cat/loop -&gt; ..</c>), so the tree would never end.</summary>
    SymbolicLinkLoop,

    /// <summary>An entry where an image belongs is a FIFO, socket or device: refused before any read, which could block forever.</summary>
    NotARegularFile,

    /// <summary>A file or folder name is not valid UTF-8, so it cannot be opened by name (the message shows it escaped).</summary>
    UndecodableName,

    /// <summary>The tree is deeper or holds more entries than a scan reads (<see cref="ImageFolderOptions"/> limits): likely not a dataset, or a loop the links hide.</summary>
    TreeTooLarge,

    /// <summary>A symbolic link leads to a folder outside the data folder: a scan reads only the dataset's own tree.</summary>
    LinkOutsideDataFolder,
}

/// <summary>
/// An image-folder dataset cannot be read as it is. The message names the file or folder at fault
/// (<see cref="Path"/>) and what is wrong with it (<see cref="Problem"/>). It is an <see cref="IOException"/>, like the
/// other data and model-file errors of this library; a missing root folder is a plain <see cref="DirectoryNotFoundException"/>.
/// </summary>
public sealed class ImageFolderException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/> with the kind of problem found.</summary>
    public ImageFolderException(ImageFolderProblem problem, string path, string message, Exception? inner = null)
        : base(message, inner)
    {
        Problem = problem;
        Path = path;
    }

    /// <summary>What kind of problem it is.</summary>
    public ImageFolderProblem Problem { get; }

    /// <summary>Full path of the file or folder at fault.</summary>
    public string Path { get; }
}
