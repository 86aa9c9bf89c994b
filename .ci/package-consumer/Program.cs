// What a new user writes after `dotnet add package MlNetCnn`: CI copies this file into a fresh console app outside
// the repository (see ../package-check), so it sees the package exactly as a NuGet user does.
// Usage: dotnet run -- CIFAR10_DIR OUTPUT_DIR
using Microsoft.ML;                    // MlNetCnn's catalog verbs live here, beside ML.NET's
using MlNetCnn.Data;                   // Cifar10Split
using MlNetCnn.Reporting.CnnReport;    // CnnReportGenerator

var (dataDirectory, outputDirectory) = (args[0], args[1]);
var mlContext = new MLContext(seed: 1);
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
