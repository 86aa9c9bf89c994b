// What a new user writes after `dotnet add package MlNetCnn`: CI copies this file into a fresh console app outside
// the repository (see ../package-check), so it sees the package exactly as a NuGet user does.
// Usage: dotnet run -- CIFAR10_DIR OUTPUT_DIR
// Built with -p:DefineConstants=ML_TORCHSHARP (after `dotnet add package Microsoft.ML.TorchSharp`), it also constructs
// one of Microsoft.ML.TorchSharp's trainers in the same process, before and after the SimpleCnn Fit.
using Microsoft.ML;                    // MlNetCnn's catalog verbs live here, beside ML.NET's
using MlNetCnn.Data.Cifar10;           // Cifar10Split
using MlNetCnn.Reporting.CnnReport;    // CnnReportGenerator
#if ML_TORCHSHARP
using Microsoft.ML.TorchSharp;         // TorchSharpCatalog: TextClassification, NamedEntityRecognition, …
#endif

var (dataDirectory, outputDirectory) = (args[0], args[1]);
var mlContext = new MLContext(seed: 1);
Console.WriteLine($"consumer: Microsoft.ML {Version(typeof(MLContext).Assembly)}, TorchSharp {Version(System.Reflection.Assembly.Load("TorchSharp"))}");
#if ML_TORCHSHARP
var textTrainer = mlContext.MulticlassClassification.Trainers.TextClassification(labelColumnName: "Label", sentence1ColumnName: "Text", maxEpochs: 1);
Console.WriteLine($"consumer: constructed {textTrainer.GetType().FullName} from {textTrainer.GetType().Assembly.GetName().Name} {Version(textTrainer.GetType().Assembly)}");
#endif
var train = mlContext.Data.LoadFromCifar10(dataDirectory, Cifar10Split.Train, maxRows: 64);
var test = mlContext.Data.LoadFromCifar10(dataDirectory, Cifar10Split.Test, maxRows: 32);

var model = mlContext.MulticlassClassification.Trainers.SimpleCnn(numberOfEpochs: 1).Fit(train);
var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(test));
Console.WriteLine($"consumer: 1 epoch on 64 images, test accuracy {metrics.MicroAccuracy:P1} on 32");

Directory.CreateDirectory(outputDirectory);
var modelPath = Path.Combine(outputDirectory, "model.zip");
mlContext.Model.SaveSimpleCnn(model, modelPath);
var reloaded = mlContext.Model.LoadSimpleCnn(modelPath);
var reportPath = Path.Combine(outputDirectory, "report.html");
CnnReportGenerator.Write(reportPath, mlContext, reloaded, test, overwrite: true);
Console.WriteLine($"consumer: wrote {modelPath} and {reportPath} ({new FileInfo(reportPath).Length / 1024} KB)");
#if ML_TORCHSHARP
var afterFit = mlContext.MulticlassClassification.Trainers.TextClassification(labelColumnName: "Label", sentence1ColumnName: "Text", maxEpochs: 1);
Console.WriteLine($"consumer: constructed {afterFit.GetType().Name} again after the SimpleCnn Fit, in the same process");
#endif

// The package version an assembly was built as (ML.NET keeps its assembly version at 1.0.0.0).
static string Version(System.Reflection.Assembly assembly) =>
    System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(assembly)?.InformationalVersion.Split('+')[0]
    ?? assembly.GetName().Version?.ToString() ?? "?";
