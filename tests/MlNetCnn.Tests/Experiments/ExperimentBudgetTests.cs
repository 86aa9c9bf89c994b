using MlNetCnn.Experiments;
using MlNetCnn.Model;

namespace MlNetCnn.Tests.Experiments;

/// <summary>The budget's training settings are the library's one training shape; what the context sets itself is refused there.</summary>
public class ExperimentBudgetTests
{
    [Fact]
    public void TheContextTrainsWithTheBudgetsSettingsAndItsOwnSeedAndThreads()
    {
        using var train = StreakImages.Create(8, seed: 1);
        using var test = StreakImages.Create(4, seed: 2);
        var budget = ExperimentBudget.Default with
        {
            Training = ExperimentBudget.Default.Training with { Epochs = 3, BatchSize = 16, LearningRate = 0.01, RandomHorizontalFlip = true },
        };
        using var context = new ExperimentContext(train, test) { Budget = budget, Seed = 7, Threads = 2 };

        Assert.Equal(budget.Training with { Seed = 7, NumberOfThreads = 2 }, context.TrainingSettings);
    }

    [Fact]
    public void DefaultsAreTwoEpochsOfTheSeedsProcedureAndQuickIsOne()
    {
        Assert.Equal(new TrainingSettings { Epochs = 2 }, ExperimentBudget.Default.Training);
        Assert.Equal(new TrainingSettings { Epochs = 1 }, ExperimentBudget.Quick.Training);
        Assert.Equal((4, 0.001), (ExperimentBudget.Default.Training.BatchSize, ExperimentBudget.Default.Training.LearningRate));
    }

    public static TheoryData<string, TrainingSettings, string> Refused => new()
    {
        // What the context decides is refused in the budget instead of being replaced without a word.
        { "seed", new TrainingSettings { Seed = 5 }, "ExperimentContext.Seed" },
        { "threads", new TrainingSettings { NumberOfThreads = 4 }, "ExperimentContext.Threads" },
        { "libtorch's thread default", new TrainingSettings { NumberOfThreads = null }, "ExperimentContext.Threads" },
        // Experiments train on every training image: a held-out split would silently shrink every training.
        { "validation split", new TrainingSettings { ValidationFraction = 0.1 }, "validation split" },
        { "early stopping", new TrainingSettings { EarlyStoppingPatience = 2 }, "validation split" },
        { "keep best", new TrainingSettings { KeepBest = true }, "validation split" },
        // The training settings' own checks still run.
        { "epochs", new TrainingSettings { Epochs = 0 }, "Epochs" },
        { "learning rate", new TrainingSettings { LearningRate = double.NaN }, "Learning rate" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void ASettingTheContextOwnsOrExperimentsCannotHonourIsRefusedByName(string what, TrainingSettings training, string named)
    {
        using var train = StreakImages.Create(8, seed: 1);
        using var test = StreakImages.Create(4, seed: 2);
        var budget = ExperimentBudget.Default with { Training = training };

        var e = Assert.ThrowsAny<ArgumentException>(() => new ExperimentContext(train, test) { Budget = budget });
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.True(e.ParamName is "Training" or "Epochs" or "LearningRate", $"{what}: {e.ParamName}");
    }
}
