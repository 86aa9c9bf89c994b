namespace MlNetCnn.Data.Cifar10;

/// <summary>Which official CIFAR-10 files to read.</summary>
public enum Cifar10Split
{
    /// <summary>data_batch_1.bin … data_batch_5.bin.</summary>
    Train,

    /// <summary>test_batch.bin.</summary>
    Test,
}
