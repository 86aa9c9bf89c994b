using MlNetCnn.Interop.PyTorch;
using MlNetCnn.Model;
using MlNetCnn.Transforms;

// In ML.NET's namespace, as its extension packages put their catalog verbs: `using Microsoft.ML;` finds them all.
namespace Microsoft.ML;

/// <summary>PyTorch state_dict files in and out through <c>mlContext.Model</c>.</summary>
public static class PyTorchModelCatalog
{
    /// <summary>
    /// Loads a PyTorch <c>state_dict</c> of the seed's SimpleCNN (<c>torch.save(model.state_dict(), path)</c>) as a trained
    /// classifier: use it in pipelines (<c>Score</c>, <c>PredictedLabel</c>), with <c>ExtractFeatureMaps</c>, in reports and experiments.
    /// </summary>
    /// <param name="catalog">The model operations catalog (<c>mlContext.Model</c>).</param>
    /// <param name="path">The .pth file.</param>
    /// <param name="classNames">One name per output; null names them "0", "1", ….</param>
    /// <param name="inputHeight">Input height; null derives it from <c>fc1.weight</c> assuming square images (32 for the seed's network).</param>
    /// <param name="inputWidth">Input width; null derives it likewise.</param>
    /// <param name="featureColumnName">Float vector of C×H×W planar image values in [0,1] (what <c>transforms.ToTensor()</c> gives in PyTorch).</param>
    /// <example>
    /// <code language="csharp">
    /// using var cnn = ml.Model.LoadPyTorchSimpleCnn("simplecnn.pth", cifar.ClassNames);
    /// var scored = cnn.Transform(ml.Data.LoadFromCifar10(dir, Cifar10Split.Test));
    /// </code>
    /// </example>
    /// <exception cref="PyTorchModelException">The file is not a state_dict of this network; the message names the key and the expected and actual shapes.</exception>
    /// <exception cref="RepeatedClassNameException"><paramref name="classNames"/> gives a name twice (checked before the file is read).</exception>
    public static SimpleCnnTransformer LoadPyTorchSimpleCnn(this ModelOperationsCatalog catalog, string path, IReadOnlyList<string>? classNames = null,
        int? inputHeight = null, int? inputWidth = null, string featureColumnName = SimpleCnnTrainer.Defaults.FeatureColumnName)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return Classifier(PyTorchStateDict.Load(path, classNames, inputHeight, inputWidth), featureColumnName);
    }

    /// <summary>
    /// Loads a PyTorch <c>state_dict</c> like the overload taking class names, asking <paramref name="classNamesFor"/> for
    /// them once the architecture is known (for example to open the data the model is for): the file is read once.
    /// </summary>
    /// <param name="catalog">The model operations catalog (<c>mlContext.Model</c>).</param>
    /// <param name="path">The .pth file.</param>
    /// <param name="classNamesFor">Given the architecture read from the file, returns one name per output.</param>
    /// <param name="inputHeight">Input height; null derives it from <c>fc1.weight</c> assuming square images.</param>
    /// <param name="inputWidth">Input width; null derives it likewise.</param>
    /// <param name="featureColumnName">Float vector of C×H×W planar image values in [0,1].</param>
    /// <exception cref="PyTorchModelException">The file is not a state_dict of this network, or the names do not match its outputs.</exception>
    /// <exception cref="RepeatedClassNameException"><paramref name="classNamesFor"/> returned a name twice.</exception>
    public static SimpleCnnTransformer LoadPyTorchSimpleCnn(this ModelOperationsCatalog catalog, string path, Func<ConvNetArchitecture, IReadOnlyList<string>> classNamesFor,
        int? inputHeight = null, int? inputWidth = null, string featureColumnName = SimpleCnnTrainer.Defaults.FeatureColumnName)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return Classifier(PyTorchStateDict.Load(path, classNamesFor, inputHeight, inputWidth), featureColumnName);
    }

    private static SimpleCnnTransformer Classifier(TrainedCnn model, string featureColumnName) =>
        new(model, featureColumnName, SimpleCnnTrainer.Defaults.ScoreColumnName, SimpleCnnTrainer.Defaults.PredictedLabelColumnName, TrainingDefaults.InferenceBatchSize);

    /// <summary>
    /// Writes the classifier's weights as a PyTorch state_dict that the seed's unmodified SimpleCNN class loads with
    /// <c>model.load_state_dict(torch.load(path))</c> (deeper stacks: add <c>conv3</c> … to the class).
    /// </summary>
    public static void SavePyTorchStateDict(this ModelOperationsCatalog catalog, SimpleCnnTransformer model, string path, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        PyTorchStateDict.Save(model.Model, path, overwrite);
    }

    /// <summary>As <see cref="SavePyTorchStateDict(ModelOperationsCatalog, SimpleCnnTransformer, string, bool)"/>, to an output already checked (<see cref="MlNetCnn.IO.OutputFile.Check"/>).</summary>
    public static void SavePyTorchStateDict(this ModelOperationsCatalog catalog, SimpleCnnTransformer model, MlNetCnn.IO.OutputTarget output)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        PyTorchStateDict.Save(model.Model, output);
    }

    /// <inheritdoc cref="SavePyTorchStateDict(ModelOperationsCatalog, SimpleCnnTransformer, string, bool)"/>
    public static void SavePyTorchStateDict(this ModelOperationsCatalog catalog, TrainedCnn model, string path, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        PyTorchStateDict.Save(model, path, overwrite);
    }
}
