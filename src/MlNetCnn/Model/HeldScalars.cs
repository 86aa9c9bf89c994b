using TorchSharp;

namespace MlNetCnn.Model;

/// <summary>
/// Scalars held for the life of the process. TorchSharp turns a number argument (and an overload's default, such as
/// <c>add_(tensor)</c>'s alpha of 1) into a native Scalar that only its finalizer frees, and passes the handle without
/// keeping the object alive: a garbage collection on another thread during the call can free it mid-call, seen as
/// "Expected false to be true" from <c>Scalar::toFloat</c>. So every Scalar the library passes is either one of these
/// or a <c>using</c> variable that outlives its call.
/// </summary>
internal static class HeldScalars
{
    /// <summary>1, for the alpha of an in-place add (<c>add_(other, One)</c> is <c>add_(other)</c> without the temporary).</summary>
    public static readonly Scalar One = 1;
}
