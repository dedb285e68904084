using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PaperCatalog.Markdown;

/// <summary>
/// The calling thread's processor time as a <see cref="TimeProvider"/>'s timestamps, so the render budget's time limit
/// counts the work a render did, not the time it waited for a core: on a machine at load 40 a good list's description
/// took more than 2 s of wall time and was refused. A render runs on one thread from start to end (Markdig and the
/// sanitiser are synchronous), so two readings on that thread measure its work. Linux and macOS read
/// <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>, Windows <c>GetThreadTimes</c>; anywhere else, or when the call fails,
/// the wall clock (the old behaviour).
/// </summary>
public sealed class ThreadCpuClock : TimeProvider
{
    private static readonly int? ThreadClockId =
        OperatingSystem.IsLinux() ? 3 : OperatingSystem.IsMacOS() || OperatingSystem.IsIOS() ? 16 : null;

    // After the clock id: static fields start in the order they are written, and the constructor reads it.
    public static ThreadCpuClock Instance { get; } = new();

    private readonly bool _works;

    private ThreadCpuClock() => _works = Read() is not null;

    /// <summary>Timestamps in 100 ns ticks.</summary>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() =>
        _works ? Read() ?? 0 : Stopwatch.GetTimestamp() * TimeSpan.TicksPerSecond / Stopwatch.Frequency;

    /// <summary>True when timestamps are processor time (false: the wall clock stands in).</summary>
    public bool IsProcessorTime => _works;

    private static long? Read()
    {
        try
        {
            if (ThreadClockId is { } id)
            {
                var ok = (OperatingSystem.IsLinux() ? LinuxClockGetTime(id, out var ts) : ClockGetTime(id, out ts)) == 0;
                return ok ? ts.Seconds * TimeSpan.TicksPerSecond + ts.Nanoseconds / 100 : null;
            }
            if (OperatingSystem.IsWindows())
                return GetThreadTimes(GetCurrentThread(), out _, out _, out var kernel, out var user) ? kernel + user : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
        return null;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    // DllImport rather than LibraryImport: the generated stubs need unsafe code, which the library does not allow.
    // glibc's libc.so is a linker script that cannot be loaded: Linux names the library itself.
    [DllImport("libc.so.6", EntryPoint = "clock_gettime")]
    private static extern int LinuxClockGetTime(int clockId, out TimeSpec time);

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clockId, out TimeSpec time);

    [DllImport("kernel32.dll")]
    private static extern IntPtr GetCurrentThread();

    [DllImport("kernel32.dll")]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool GetThreadTimes(IntPtr thread, out long creation, out long exit, out long kernel, out long user);
}
