namespace MlNetCnn.Data.Cifar10;

/// <summary>Hash used to verify a downloaded archive.</summary>
public enum Cifar10ChecksumAlgorithm
{
    /// <summary>MD5, the checksum published on the CIFAR-10 page.</summary>
    Md5,

    /// <summary>SHA-256.</summary>
    Sha256,
}
