using System.Globalization;
using Microsoft.ML;
using MlNetCnn.Tests.Persistence;

namespace MlNetCnn.Tests.TestSupport;

/// <summary>
/// The test assembly's <c>Main</c> (the csproj turns off the test SDK's generated one): tests that need a fresh process
/// run this assembly again as a program, <c>dotnet &lt;assembly&gt; command args…</c>, instead of hiding the child's
/// work in a test that does nothing in a normal run.
/// </summary>
public static class ChildEntryPoint
{
    /// <summary>Arguments: directory, index path, libtorch threads. Runs <see cref="FreshProcessChild"/>.</summary>
    public const string FreshProcessChildCommand = "fresh-process-child";

    /// <summary>Argument: output path. Trains ValidationSplitTests' augmented run and writes its weights' bytes.</summary>
    public const string AugmentedTrainingCommand = "augmented-training-child";

    /// <summary>Arguments: image folder, depth limit. Scans the folder (names only) and prints how many images it found.</summary>
    public const string ScanImageFolderCommand = "scan-image-folder";

    /// <summary>Arguments: rounds, seed, workers (predict,cursor,export), engine. Runs <see cref="Transforms.DisposeDuringUseChild"/>; its exit code is the process's.</summary>
    public const string DisposeDuringUseCommand = "dispose-during-use";

    /// <summary>Runs the child named by the first argument; anything else (the test host, no arguments) does nothing.</summary>
    public static int Main(string[] args)
    {
        if (args is [FreshProcessChildCommand, var directory, var indexPath, var threads])
            FreshProcessChild.WritePredictionsOfSavedModels(directory, indexPath, int.Parse(threads, CultureInfo.InvariantCulture));
        else if (args is [AugmentedTrainingCommand, var weightsPath])
            Transforms.ValidationSplitTests.WriteAugmentedWeights(weightsPath);
        else if (args is [DisposeDuringUseCommand, var rounds, var seed, var workers, var engine])
            return Transforms.DisposeDuringUseChild.Run(int.Parse(rounds, CultureInfo.InvariantCulture), int.Parse(seed, CultureInfo.InvariantCulture), workers,
                Enum.Parse<MlNetCnn.Model.InferenceEngine>(engine));
        else if (args is [ScanImageFolderCommand, var folder, var maxDepth])
            Console.WriteLine(new MLContext(seed: 1).Data.LoadFromImageFolder(folder,
                options: new MlNetCnn.Data.ImageFolder.ImageFolderOptions { MaxDepth = int.Parse(maxDepth, CultureInfo.InvariantCulture), VerifyImages = false }).Files.Count);
        return 0;
    }
}
