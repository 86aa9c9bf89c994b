using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MlNetCnn.Transforms;

/// <summary>MlNetCnn's verbs on ML.NET's catalogs.</summary>
public static class MlNetCnnCatalog
{
    /// <summary>
    /// Trains the seed's SimpleCNN (conv 3→6, conv 6→12, 768→120→10) with Adam lr 0.001, cross-entropy, batch 4.
    /// </summary>
    /// <param name="featureColumnName">Float vector of C×H×W planar values in [0,1], e.g. from
    /// <c>ExtractPixels(interleavePixelColors: false, scaleImage: 1f / 255)</c>.</param>
    /// <param name="labelColumnName">Key-typed label column.</param>
    /// <param name="numberOfEpochs">Passes over the training data.</param>
    /// <param name="seed">Seed for initial weights and shuffling.</param>
    public static SimpleCnnTrainer SimpleCnn(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = SimpleCnnTrainer.Defaults.LabelColumnName,
        string featureColumnName = SimpleCnnTrainer.Defaults.FeatureColumnName,
        int numberOfEpochs = SimpleCnnTrainer.Defaults.NumberOfEpochs,
        int batchSize = SimpleCnnTrainer.Defaults.BatchSize,
        double learningRate = SimpleCnnTrainer.Defaults.LearningRate,
        int seed = SimpleCnnTrainer.Defaults.Seed)
    {
        return catalog.SimpleCnn(new SimpleCnnTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            NumberOfEpochs = numberOfEpochs,
            BatchSize = batchSize,
            LearningRate = learningRate,
            Seed = seed,
        });
    }

    /// <summary>Trains a SimpleCNN configured by <paramref name="options"/>.</summary>
    public static SimpleCnnTrainer SimpleCnn(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        SimpleCnnTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SimpleCnnTrainer(Environment(catalog), options);
    }

    /// <summary>
    /// ML.NET catalogs keep their MLContext (an IHostEnvironment) in a non-public member of a base class; our trainers
    /// need it to log through MLContext.Log like ML.NET's own. Found by type, so member renames do not break it.
    /// </summary>
    internal static IHostEnvironment Environment(object catalog)
    {
        const System.Reflection.BindingFlags flags = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic |
                                                     System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.DeclaredOnly;
        for (var type = catalog.GetType(); type != null; type = type.BaseType)
        {
            foreach (var property in type.GetProperties(flags))
            {
                if (typeof(IHostEnvironment).IsAssignableFrom(property.PropertyType) && property.GetIndexParameters().Length == 0)
                    return (IHostEnvironment)property.GetValue(catalog)!;
            }
            foreach (var field in type.GetFields(flags))
            {
                if (typeof(IHostEnvironment).IsAssignableFrom(field.FieldType))
                    return (IHostEnvironment)field.GetValue(catalog)!;
            }
        }
        throw new InvalidOperationException($"Could not reach the MLContext behind {catalog.GetType().Name}.");
    }
}
