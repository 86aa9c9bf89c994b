using MlNetCnn.Data;

namespace MlNetCnn.Cli.Inputs;

/// <summary>A dataset folder and what it holds.</summary>
/// <param name="Cancellation">Stops the scan of an image folder when it is opened (Ctrl+C, SIGTERM).</param>
public sealed record DataSource(DataFolderKind Kind, string Directory, CancellationToken Cancellation = default);
