using System.Runtime.InteropServices;

namespace Pipeline.ReverseProxy;

/// <summary>Sends a signal to a process (haproxy's master: SIGUSR2 reloads it, SIGUSR1 stops it softly, SIGTERM at once).</summary>
internal static class PosixSignal
{
    public const int Terminate = 15;
    public const int User1 = 10;
    public const int User2 = 12;

    public static void Send(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
            throw new EdgeProcessException($"Could not send signal {signal} to haproxy (pid {pid}): errno {Marshal.GetLastPInvokeError()}.");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
