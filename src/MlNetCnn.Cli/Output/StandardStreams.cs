using System.Runtime.InteropServices;
using System.Text;

namespace MlNetCnn.Cli.Output;

/// <summary>
/// Makes stdin, stdout and stderr safe before the CLI does anything else, whatever the process was started with.
/// </summary>
/// <remarks>
/// A process started with a standard stream closed (<c>&gt;&amp;-</c>, <c>2&gt;&amp;-</c>) does not find that descriptor
/// free: the .NET runtime opens its own pipes at start-up and the lowest free numbers, 0–2, are taken by them (checked:
/// fds 1 and 2 are then one of the runtime's internal pipes, opened close-on-exec). Writing a message there corrupts the
/// runtime's pipe and the process aborts (exit 134), or fails with EBADF and changes the exit code. An inherited
/// standard stream is never close-on-exec (it survived the exec), so a close-on-exec or missing fd 0–2 means "closed when
/// started": the process then executes itself again, the same program with the same arguments and process id, with
/// <c>/dev/null</c> on those descriptors, which is what the user meant by closing them. Writes that fail later (a full
/// disk, EIO) are dropped by <see cref="BestEffortWriter"/> instead of failing the command.
/// </remarks>
public static class StandardStreams
{
    /// <summary>Set in the environment of the re-executed process, so a restart that did not help is never repeated.</summary>
    public const string RestartedVariable = "MLNETCNN_STDIO_REOPENED";

    /// <summary>Call first in Main: reopens standard streams closed at start (re-executing the process), then guards the console writers.</summary>
    public static void Prepare()
    {
        var closed = OperatingSystem.IsLinux() ? ClosedAtStart() : [];
        if (closed.Length > 0 && Environment.GetEnvironmentVariable(RestartedVariable) == null)
            RestartWithDevNull(closed); // returns only when the restart failed
        // Still closed (the restart failed or was already tried): the runtime's descriptor is not ours to write to.
        Console.SetOut(TextWriter.Synchronized(closed.Contains(1) ? TextWriter.Null : new BestEffortWriter(Console.Out)));
        Console.SetError(TextWriter.Synchronized(closed.Contains(2) ? TextWriter.Null : new BestEffortWriter(Console.Error)));
        if (closed.Contains(0)) Console.SetIn(TextReader.Null);
    }

    /// <summary>The standard descriptors that were not inherited from the parent: missing, or opened by this process (close-on-exec).</summary>
    internal static int[] ClosedAtStart() =>
        new[] { 0, 1, 2 }.Where(fd => Libc.fcntl(fd, FGetFd, 0) is var flags && (flags < 0 || (flags & FdCloExec) != 0)).ToArray();

    private static void RestartWithDevNull(int[] closed)
    {
        byte[] commandLine;
        try
        {
            commandLine = File.ReadAllBytes("/proc/self/cmdline");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        if (commandLine.Length == 0 || commandLine[^1] != 0) return;

        var devNull = Libc.open("/dev/null", ORdWr | OCloExec);
        if (devNull < 0) return;
        // The runtime's descriptors on 0-2, kept so that they can be put back if the exec fails.
        var saved = closed.Select(fd => Libc.fcntl(fd, FDupFdCloExec, 3)).ToArray();
        var arguments = Marshal.AllocHGlobal(commandLine.Length);
        try
        {
            Marshal.Copy(commandLine, 0, arguments, commandLine.Length);
            // argv: a pointer to each NUL-terminated argument of /proc/self/cmdline, exactly as given (any bytes), then null.
            var argv = new List<IntPtr>();
            for (var start = 0; start < commandLine.Length; start = Array.IndexOf(commandLine, (byte)0, start) + 1)
                argv.Add(arguments + start);
            argv.Add(IntPtr.Zero);
            foreach (var fd in closed) Libc.dup2(devNull, fd); // dup2 leaves the copy inheritable
            Libc.setenv(RestartedVariable, "1", 1);
            Libc.execv(Encoding.UTF8.GetBytes("/proc/self/exe\0"), argv.ToArray());

            // Still here: the exec failed. Put the runtime's descriptors back and carry on with the streams silenced.
            Libc.unsetenv(RestartedVariable);
            for (var i = 0; i < closed.Length; i++)
            {
                if (saved[i] >= 0)
                {
                    Libc.dup2(saved[i], closed[i]);
                    Libc.fcntl(closed[i], FSetFd, FdCloExec);
                }
                else
                {
                    Libc.close(closed[i]);
                }
            }
        }
        finally
        {
            foreach (var fd in saved.Where(fd => fd >= 0)) Libc.close(fd);
            Libc.close(devNull);
            Marshal.FreeHGlobal(arguments);
        }
    }

    private const int FDupFdCloExec = 1030;
    private const int FGetFd = 1;
    private const int FSetFd = 2;
    private const int FdCloExec = 1;
    private const int ORdWr = 2;
    private const int OCloExec = 0x80000;

    private static class Libc
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int fcntl(int fd, int command, int argument);

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int dup2(int from, int to);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int execv(byte[] path, IntPtr[] argv);

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern int unsetenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
    }
}
