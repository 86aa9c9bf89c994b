using System.CommandLine;
using Microsoft.ML;
using MlNetCnn.Interop;
using MlNetCnn.Persistence;

namespace MlNetCnn.Cli.Commands;

/// <summary>
/// <c>mlnetcnn export --model model.zip --output simplecnn.pth</c>: writes the network as a PyTorch state_dict that the
/// seed's SimpleCNN loads with <c>load_state_dict</c>; the other way round (.pth → .zip) makes a model file of ours.
/// </summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Model to convert: a file from `mlnetcnn train --output`, or a PyTorch state_dict (.pth)", Required = true };
        var output = new Option<string>("--output", "-o")
        {
            Description = "File to write: .pth/.pt for a PyTorch state_dict (torch.load + load_state_dict), .zip for a model file of ours",
            Required = true,
        };
        var classNames = CommonOptions.ClassNames();
        var imageSize = CommonOptions.ImageSize();
        var force = CommonOptions.Force();
        var quiet = CommonOptions.Quiet();
        var command = new Command("export", "Convert a model between this tool's model file and a PyTorch state_dict of the seed's SimpleCNN")
            { model, output, classNames, imageSize, force, quiet };
        command.SetAction((parse, cancel) => CliRunner.RunAsync(parse.GetValue(quiet), reporter =>
        {
            var source = parse.GetValue(model)!;
            var target = parse.GetValue(output)!;
            CommonOptions.EnsureWritable(target, parse.GetValue(force));
            if (!File.Exists(source)) throw new FileNotFoundException($"Model file '{Path.GetFullPath(source)}' not found.", source);
            var ml = new MLContext(seed: 1);
            var toPyTorch = ModelFiles.Detect(target) == ModelFiles.Kind.PyTorch;
            if (ModelFiles.Detect(source) == ModelFiles.Kind.MlNetCnn)
            {
                if (!toPyTorch) throw new CliException(ExitCodes.UsageError, $"'{target}' would be a model file like '{source}': give --output a .pth name to write a PyTorch state_dict.");
                using var classifier = ml.Model.LoadSimpleCnn(source);
                ml.Model.SavePyTorchStateDict(classifier, target, overwrite: true);
                var a = classifier.Model.Architecture;
                reporter.Result($"PyTorch state_dict written to {Path.GetFullPath(target)} ({string.Join(", ", PyTorchStateDict.ExpectedKeys(a).Select(k => k.Key))}); " +
                                $"classes in output order: {string.Join(", ", classifier.Model.ClassNames)}");
                if (a.InputChannels != 3 || a.InputHeight != 32 || a.InputWidth != 32 || !a.ConvChannels.SequenceEqual([6, 12]) || a.HiddenUnits != 120 || a.ClassCount != 10)
                    reporter.Info($"This network ({a.InputChannels}×{a.InputHeight}×{a.InputWidth} input, conv channels [{string.Join(", ", a.ConvChannels)}], {a.HiddenUnits} hidden, {a.ClassCount} classes) " +
                                  "differs from the seed's SimpleCNN: change the class's layer sizes (and the view in forward) to match before load_state_dict.");
            }
            else
            {
                if (toPyTorch) throw new CliException(ExitCodes.UsageError, $"'{source}' is already a PyTorch state_dict: give --output a .zip name to make a model file of ours.");
                var size = ImageShapeRequest.ParseSize(parse.GetValue(imageSize));
                using var classifier = ml.Model.LoadPyTorchSimpleCnn(source, ModelFiles.ParseClassNames(parse.GetValue(classNames)), size?.Height, size?.Width);
                ml.Model.SaveSimpleCnn(classifier, target, overwrite: true);
                reporter.Result($"model file written to {Path.GetFullPath(target)} (classes {string.Join(", ", classifier.Model.ClassNames)})");
            }
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }
}
