using MlNetCnn.Experiments.Figures;
using MlNetCnn.Model;
using MlNetCnn.Training;
using static System.FormattableString;

namespace MlNetCnn.Experiments.PixelPermutation;

/// <summary>
/// Measures the CNN and two fully-connected networks — one of about the CNN's parameter count, one as wide as the CNN's
/// fc1 (<see cref="WideHiddenUnits"/>) — on the original images and on the same images under one fixed random
/// permutation of pixel positions (a pixel's colour planes move together), and compares the six test accuracies. The
/// CNN is trained on each; a fully-connected network's permuted twin is its trained weights with the input columns
/// permuted alike, which is exactly what training it on permuted pixels from permuted initial weights computes.
/// </summary>
internal sealed class PixelPermutationExperiment() : Experiment(
    "permutation",
    "Pixel-permutation control",
    "Shuffling pixel positions by one fixed permutation costs the CNN many points of test accuracy, because its " +
    "convolutions and pools rely on neighbouring pixels, and costs a fully-connected network of similar size almost " +
    "nothing, because it has no notion of neighbourhood — whether it is matched to the CNN's parameter count or as " +
    "wide as the CNN's fc1.",
    "drop-difference")
{
    /// <summary>Added to the context seed to draw the permutation, so it does not coincide with the weight seed.</summary>
    public int PermutationSeedOffset { get; init; } = 7919;

    /// <summary>
    /// Hidden width of the stronger fully-connected control; null (default) takes the CNN's fc1 width
    /// (<see cref="ConvNetArchitecture.HiddenUnits"/>, 120 on the seed network), so the comparison does not rest on
    /// the weak parameter-matched network alone.
    /// </summary>
    public int? WideHiddenUnits { get; init; }

    /// <summary>How many example images (original and permuted) the result shows.</summary>
    public int ExampleImages { get; init; } = 3;

    /// <summary>
    /// Reorders the hidden layer's input columns by the pixel permutation, so the network computes on permuted images
    /// exactly what its unpermuted twin computes on the originals: W′[:, c, i] = W[:, c, permutation[i]].
    /// </summary>
    private static void PermuteInputColumns(MlpBaseline mlp, int[] permutation, int channels)
    {
        using var noGrad = TorchSharp.torch.no_grad();
        using var scope = TorchSharp.torch.NewDisposeScope();
        var weight = mlp.HiddenLayer.weight!;
        var index = TorchSharp.torch.tensor(permutation.Select(i => (long)i).ToArray());
        var permuted = weight.reshape(weight.shape[0], channels, permutation.Length).index_select(2, index).reshape(weight.shape);
        weight.copy_(permuted);
    }

    /// <inheritdoc />
    public override ExperimentResult Run(ExperimentContext context)
    {
        var architecture = context.Architecture;
        var settings = context.TrainingSettings;
        var permutation = ImageTensors.Permutation(context.Height * context.Width, context.Seed + PermutationSeedOffset);
        using var permutedTrain = ImageTensors.PermutePixels(context.Train, permutation);
        using var permutedTest = ImageTensors.PermutePixels(context.Test, permutation);

        long cnnParameters;
        using (var probe = TrainingLoop.CreateModel(architecture, settings)) cnnParameters = TrainingLoop.ParameterCount(probe);
        var hidden = MlpBaseline.HiddenUnitsMatching(cnnParameters, context.ImageLength, architecture.ClassCount);
        var mlpParameters = MlpBaseline.ParameterCountFor(context.ImageLength, hidden, architecture.ClassCount);
        var wide = WideHiddenUnits ?? architecture.HiddenUnits;
        if (wide < 1) throw new InvalidOperationException($"{nameof(WideHiddenUnits)} must be at least 1; it is {wide}.");
        var wideParameters = MlpBaseline.ParameterCountFor(context.ImageLength, wide, architecture.ClassCount);

        // Four trainings, six accuracies: the CNN on original pixels is the context's model under study, and each
        // fully-connected network's permuted twin is the trained network with its input columns permuted alike
        // (PermuteInputColumns). Training that twin on permuted pixels from permuted initial weights takes the same
        // steps in exact arithmetic (every gradient and Adam update is the original's, permuted), so training it again
        // only repeated the original's work; evaluated on the permuted test images it scores what the original scores.
        var runs = new (string Network, bool Permuted)[] { ("CNN", false), ("CNN", true), ("MLP", false), ("wide", false) };
        // The trainings are independent: side by side when the context allows (IndependentRuns).
        var measured = IndependentRuns.Run(context, runs.Length, (i, report) =>
        {
            var (network, permuted) = runs[i];
            if (network == "CNN" && !permuted)
            {
                // The same architecture, seed, initial weights and settings as the network every experiment of this
                // seed studies: the context trains it once instead of once more here.
                var studied = context.TrainedNetwork(architecture, report);
                report(1);
                return (Original: TrainingLoop.Evaluate(studied.Network, context.Test, 256).Accuracy, Permuted: double.NaN);
            }
            TorchRuntime.Configure(context.Seed, context.Threads);
            using TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> model = network == "CNN"
                ? new SimpleCnn(architecture)
                : new MlpBaseline(context.ImageLength, network == "MLP" ? hidden : wide, architecture.ClassCount);
            // Same initial weights as every other network the library trains with this seed.
            SeededInitialization.Apply(model, context.Seed);
            TrainingLoop.Train(model, permuted ? permutedTrain : context.Train, null, settings, new EpochProgress(report), context.Cancellation);
            if (model is not MlpBaseline mlp) return (Original: double.NaN, Permuted: TrainingLoop.Evaluate(model, permutedTest, 256).Accuracy);
            var original = TrainingLoop.Evaluate(mlp, context.Test, 256).Accuracy;
            PermuteInputColumns(mlp, permutation, context.Channels);
            return (Original: original, Permuted: TrainingLoop.Evaluate(mlp, permutedTest, 256).Accuracy);
        }, f => Report(context, "training the CNN on permuted pixels and the fully-connected networks", f));
        var accuracy = new[] { measured[0].Original, measured[1].Permuted, measured[2].Original, measured[2].Permuted, measured[3].Original, measured[3].Permuted };

        var n = context.Test.Count;
        var chance = 1.0 / architecture.ClassCount;
        var (cnnOriginal, cnnPermuted, mlpOriginal, mlpPermuted) = (accuracy[0], accuracy[1], accuracy[2], accuracy[3]);
        var (wideOriginal, widePermuted) = (accuracy[4], accuracy[5]);
        var cnnDrop = cnnOriginal - cnnPermuted;
        var mlpDrop = mlpOriginal - mlpPermuted;
        var wideDrop = wideOriginal - widePermuted;
        var cnnError = Stats.AccuracyDifferenceError(cnnOriginal, n, cnnPermuted, n);
        var mlpError = Stats.AccuracyDifferenceError(mlpOriginal, n, mlpPermuted, n);
        var wideError = Stats.AccuracyDifferenceError(wideOriginal, n, widePermuted, n);
        var chanceError = Math.Sqrt(chance * (1 - chance) / n);
        var cnnLearned = cnnOriginal > chance + 2 * chanceError;
        var cnnLoses = VerdictRule.Beyond(cnnDrop, cnnError);
        var mlpKeeps = VerdictRule.Within(mlpDrop, mlpError) && VerdictRule.Within(wideDrop, wideError);

        Verdict verdict;
        string why;
        if (!cnnLearned)
        {
            verdict = Verdict.Inconclusive;
            why = Invariant($"The CNN reached only {Stats.Percent(cnnOriginal)} on the original images, not clearly above chance ({Stats.Percent(chance)} ± {Stats.Percent(2 * chanceError)}), so there is nothing for the permutation to destroy; train longer or on more images.");
        }
        else if (!cnnLoses)
        {
            verdict = Verdict.NotSupported;
            why = Invariant($"The CNN's accuracy changed by {Stats.Points(-cnnDrop)} ({Stats.Percent(cnnOriginal)} → {Stats.Percent(cnnPermuted)}), within two standard errors ({Stats.Percent(2 * cnnError)}) of no change: on these data it did not depend on pixel neighbourhoods.");
        }
        else if (mlpKeeps)
        {
            verdict = Verdict.Supported;
            why = Invariant($"Permuting pixels cost the CNN {Stats.Points(cnnDrop).TrimStart('+')} ({Stats.Percent(cnnOriginal)} → {Stats.Percent(cnnPermuted)}, more than twice the standard error of {Stats.Percent(cnnError)}), while the fully-connected networks moved by {Stats.Points(-mlpDrop)} ({hidden} hidden: {Stats.Percent(mlpOriginal)} → {Stats.Percent(mlpPermuted)}) and {Stats.Points(-wideDrop)} ({wide} hidden: {Stats.Percent(wideOriginal)} → {Stats.Percent(widePermuted)}), within noise (±{Stats.Percent(2 * mlpError)} and ±{Stats.Percent(2 * wideError)}).");
        }
        else
        {
            verdict = Verdict.Inconclusive;
            why = Invariant($"Both kinds of network changed by more than noise: CNN {Stats.Points(-cnnDrop)}, fully-connected {Stats.Points(-mlpDrop)} ({hidden} hidden) and {Stats.Points(-wideDrop)} ({wide} hidden) (two standard errors: {Stats.Percent(2 * cnnError)}, {Stats.Percent(2 * mlpError)} and {Stats.Percent(2 * wideError)}). The permuted fully-connected network computes the same function as the original one, so a change there means floating-point rounding moved predictions, and the CNN's loss cannot be told apart from it.");
        }
        var strongerControl = wideOriginal >= cnnPermuted
            ? Invariant($" The {wide}-wide control ({Stats.Percent(wideOriginal)}) is at least as accurate as the CNN on permuted pixels ({Stats.Percent(cnnPermuted)}): the CNN's loss is not just a weak baseline looking good.")
            : Invariant($" The {wide}-wide control ({Stats.Percent(wideOriginal)}) stays below the CNN on permuted pixels ({Stats.Percent(cnnPermuted)}).");
        var explanation = why + strongerControl + Invariant($" CNN: {cnnParameters:N0} parameters; fully-connected controls: {context.ImageLength}→{hidden}→{architecture.ClassCount} ({mlpParameters:N0} parameters, matched to the CNN) and {context.ImageLength}→{wide}→{architecture.ClassCount} ({wideParameters:N0} parameters, fc1's width); each trained {settings.Epochs} epoch(s) on {context.Train.Count} images (original, or permuted for the CNN's second run) with batch {settings.BatchSize} from the same seed, evaluated on {n} test images. Each permuted fully-connected network is its trained twin with the input columns permuted alike, which is what training it on permuted pixels from permuted initial weights gives in exact arithmetic, so the two differ only by floating-point rounding; the permuted CNN has no such counterpart, because moving pixels breaks the neighbourhoods its 3×3 kernels read.");

        var examples = Math.Min(ExampleImages, context.Test.Count);
        var permutedPixels = ImageTensors.Pixels(permutedTest, examples);
        var panels = new List<ImagePanel>();
        for (var i = 0; i < examples; i++)
        {
            panels.Add(ImageTensors.Panel(Invariant($"test image {i}"), context.TestPixels, i, context.Channels, context.Height, context.Width));
            panels.Add(ImageTensors.Panel(Invariant($"test image {i}, permuted"), permutedPixels, i, context.Channels, context.Height, context.Width));
        }

        // The three networks in measurement, chart and table order: key, chart label, table label and their numbers.
        var networks = new (string Key, string Chart, string Table, long Parameters, double Original, double Permuted, double Drop, double Error)[]
        {
            ("cnn", "CNN", "CNN", cnnParameters, cnnOriginal, cnnPermuted, cnnDrop, cnnError),
            ("mlp", Invariant($"fully-connected, {hidden} hidden"), Invariant($"fully-connected ({hidden} hidden, parameter-matched)"), mlpParameters, mlpOriginal, mlpPermuted, mlpDrop, mlpError),
            ("wide-mlp", Invariant($"fully-connected, {wide} hidden"), Invariant($"fully-connected ({wide} hidden, fc1's width)"), wideParameters, wideOriginal, widePermuted, wideDrop, wideError),
        };
        string Row(double v) => Invariant($"{100 * v:F1}");
        return Result(context, verdict, explanation) with
        {
            KeyMeasurements = networks.SelectMany(w => new[] { $"{w.Key}.original.accuracy", $"{w.Key}.permuted.accuracy" }).ToArray(),
            Measurements =
            [
                .. networks.SelectMany(w => new[] { new Measurement($"{w.Key}.original.accuracy", w.Original, "accuracy"), new Measurement($"{w.Key}.permuted.accuracy", w.Permuted, "accuracy") }),
                .. networks.Select(w => new Measurement($"{w.Key}.drop", w.Drop, "accuracy")),
                // The effect over seeds: how much more the CNN loses than the larger of the two controls' changes.
                new Measurement("drop-difference", cnnDrop - Math.Max(Math.Abs(mlpDrop), Math.Abs(wideDrop)), "accuracy"),
                .. networks.Select(w => new Measurement($"{w.Key}.drop.standard-error", w.Error, "accuracy")),
                new Measurement("cnn.parameters", cnnParameters, "parameters"),
                new Measurement("mlp.parameters", mlpParameters, "parameters"),
                new Measurement("mlp.hidden-units", hidden, "units"),
                new Measurement("wide-mlp.parameters", wideParameters, "parameters"),
                new Measurement("wide-mlp.hidden-units", wide, "units"),
            ],
            Charts = new[]
            {
                new ChartFigure("Test accuracy, original vs permuted pixels", ChartKind.Bar, "input", "test accuracy",
                    networks.Select(w => new ChartSeries(w.Chart, new[] { 0.0, 1.0 }, new[] { w.Original, w.Permuted }, new[] { "original", "permuted" })).ToArray()),
            },
            Tables = new[]
            {
                new TableFigure("Accuracies (%)", new[] { "network", "parameters", "original", "permuted", "drop (points)", "2×SE (points)" },
                    networks.Select(w => (IReadOnlyList<string>)new[] { w.Table, Invariant($"{w.Parameters}"), Row(w.Original), Row(w.Permuted), Row(w.Drop), Row(2 * w.Error) }).ToArray()),
            },
            Images = new[] { new ImageFigure("What the networks see: original and permuted", panels) },
        };
    }
}
