using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using MlNetCnn.Transforms;

namespace MlNetCnn.Tests.Transforms;

/// <summary>
/// The ML.NET cancellation flag HostCancellation reads by reflection (ICancelable.IsCanceled, internal) must be found
/// on this ML.NET's MLContext and hosts: a version that renamed or moved it would otherwise train on, never cancelling.
/// </summary>
public class HostCancellationTests
{
    [Fact]
    public void TheFlagIsFoundOnTheMlContextAndItsHostAndFollowsCancelExecution()
    {
        var ml = new MLContext(seed: 1);
        var host = ((IHostEnvironment)ml).Register("test");
        var onContext = HostCancellation.FindFlag(ml);
        var onHost = HostCancellation.FindFlag(host);
        Assert.True(onContext != null, $"{HostCancellation.CancelableInterface}.IsCanceled not found on {ml.GetType().FullName} or its fields.");
        Assert.True(onHost != null, $"{HostCancellation.CancelableInterface}.IsCanceled not found on {host.GetType().FullName}.");
        Assert.False(onContext());
        Assert.False(onHost());

        SimpleCnnTrainerCancellationTests.CancelExecution(ml);

        Assert.True(onContext());
    }

    [Fact]
    public void AnMlNetEnvironmentWithoutTheFlagIsAnErrorNamingItNotSilence()
    {
        var environment = DispatchProxy.Create<IHostEnvironment, Unimplemented>();
        var error = Assert.Throws<InvalidOperationException>(() => HostCancellation.FindFlag(environment, _ => true));
        Assert.Contains(environment.GetType().FullName!, error.Message);
        Assert.Contains("ICancelable.IsCanceled", error.Message);
        Assert.Contains("Microsoft.ML [6.0.0, 7.0.0)", error.Message);

        // The same environment from outside ML.NET has nothing to read: only the caller's token cancels.
        Assert.Null(HostCancellation.FindFlag(environment));
    }

    [Fact]
    public void AContextCancelledBeforeFitStartsIsRefusedAtOnce()
    {
        var ml = new MLContext(seed: 1);
        SimpleCnnTrainerCancellationTests.CancelExecution(ml);
        Assert.Throws<OperationCanceledException>(() => new HostCancellation([ml], CancellationToken.None).Dispose());
    }

    public class Unimplemented : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => throw new NotSupportedException(targetMethod?.Name);
    }
}
