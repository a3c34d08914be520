using System.Runtime.InteropServices;

namespace Store.Storage;

/// <summary>
/// A Linux kernel AIO context (io_setup / io_submit / io_getevents through syscall(2)): positioned
/// reads of an O_DIRECT file are handed to the device, alone or several at once, and reaped as they
/// complete, waiting or not.
/// One context serves one thread at a time. <see cref="TryCreate"/> returns null where the kernel or
/// architecture offers none (callers then read one request at a time).
/// </summary>
internal sealed unsafe partial class LinuxAio : IDisposable
{
    private const int ReadCommand = 0; // IOCB_CMD_PREAD

    private readonly int _capacity;
    private readonly Iocb* _iocbs;
    private readonly Iocb** _pointers;
    private readonly IoEvent* _events;
    private nint _context;

    private LinuxAio(nint context, int capacity)
    {
        _context = context;
        _capacity = capacity;
        _iocbs = (Iocb*)NativeMemory.AllocZeroed((nuint)(capacity * sizeof(Iocb)));
        _pointers = (Iocb**)NativeMemory.AllocZeroed((nuint)(capacity * sizeof(nint)));
        _events = (IoEvent*)NativeMemory.AllocZeroed((nuint)(capacity * sizeof(IoEvent)));
    }

    /// <summary>Most reads in flight at once.</summary>
    public int Capacity => _capacity;

    public static LinuxAio? TryCreate(int capacity)
    {
        if (!OperatingSystem.IsLinux() || Numbers is not { } numbers)
        {
            return null;
        }

        nint context = 0;
        return Syscall(numbers.Setup, capacity, (nint)(&context), 0, 0, 0) == 0 ? new LinuxAio(context, capacity) : null;
    }

    /// <summary>
    /// Hands requests[first..first+count) to the kernel in one call; returns how many it took (the first
    /// ones; 0 if it refused them). A completion names its request by its index in
    /// <paramref name="requests"/>. Collect them with <see cref="WaitSome"/> or <see cref="Poll"/>.
    /// </summary>
    public int Submit(int descriptor, ReadOnlySpan<ReadRequest> requests, int first, int count)
    {
        if (first < 0 || count < 0 || first + count > Math.Min(requests.Length, _capacity))
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"At most {_capacity} reads per context, within the request array.");
        }

        for (int i = first; i < first + count; i++)
        {
            ReadRequest r = requests[i];
            _iocbs[i] = new Iocb
            {
                Data = (ulong)i,
                Opcode = ReadCommand,
                FileDescriptor = (uint)descriptor,
                Buffer = (ulong)r.Destination,
                Bytes = (ulong)r.Length,
                Offset = r.Offset,
            };
            _pointers[i] = &_iocbs[i];
        }

        int submitted = 0;
        while (submitted < count)
        {
            long s = Syscall(Numbers!.Value.Submit, _context, count - submitted, (nint)(_pointers + first + submitted), 0, 0);
            if (s <= 0)
            {
                break;
            }

            submitted += (int)s;
        }

        return submitted;
    }

    /// <summary>
    /// Waits until at least one submitted read completes; writes the request index of each completed
    /// read to <paramref name="completed"/> and its byte count (negative: an errno) to
    /// <paramref name="results"/>, up to <paramref name="outstanding"/>; returns how many.
    /// </summary>
    public int WaitSome(int outstanding, Span<int> completed, Span<long> results) => Reap(1, outstanding, completed, results, block: true);

    /// <summary>Like <see cref="WaitSome"/> but never waits: the reads already complete, possibly none.</summary>
    public int Poll(int outstanding, Span<int> completed, Span<long> results) => Reap(0, outstanding, completed, results, block: false);

    private int Reap(int minimum, int outstanding, Span<int> completed, Span<long> results, bool block)
    {
        var zero = default(Timespec);
        while (true)
        {
            long got = Syscall(Numbers!.Value.GetEvents, _context, minimum, outstanding, (nint)_events, block ? 0 : (nint)(&zero));
            if (got < 0)
            {
                if (Marshal.GetLastPInvokeError() == 4)
                {
                    continue; // EINTR
                }

                throw new IOException($"io_getevents failed (errno {Marshal.GetLastPInvokeError()}).");
            }

            for (int i = 0; i < got; i++)
            {
                completed[i] = (int)_events[i].Data;
                results[i] = _events[i].Result;
            }

            return (int)got;
        }
    }

    ~LinuxAio() => Destroy();

    public void Dispose()
    {
        Destroy();
        GC.SuppressFinalize(this);
    }

    private void Destroy()
    {
        if (_context != 0)
        {
            Syscall(Numbers!.Value.Destroy, _context, 0, 0, 0, 0);
            _context = 0;
            NativeMemory.Free(_iocbs);
            NativeMemory.Free(_pointers);
            NativeMemory.Free(_events);
        }
    }

    private static Syscalls? Numbers => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => new Syscalls(206, 207, 209, 208),
        Architecture.Arm64 => new Syscalls(0, 1, 2, 4),
        _ => null,
    };

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, nint a, nint b, nint c, nint d, nint e);

    private readonly record struct Syscalls(long Setup, long Destroy, long Submit, long GetEvents);

    /// <summary>struct iocb of linux/aio_abi.h (little-endian layout).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Iocb
    {
        public ulong Data;
        public uint Key;
        public int ReadWriteFlags;
        public ushort Opcode;
        public short Priority;
        public uint FileDescriptor;
        public ulong Buffer;
        public ulong Bytes;
        public long Offset;
        public ulong Reserved;
        public uint Flags;
        public uint ResultDescriptor;
    }

    /// <summary>struct timespec (64-bit).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>struct io_event of linux/aio_abi.h.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct IoEvent
    {
        public ulong Data;
        public ulong Object;
        public long Result;
        public long Result2;
    }
}

/// <summary>One positioned read: file offset, byte count and destination (all aligned for O_DIRECT).</summary>
internal readonly unsafe struct ReadRequest(long offset, int length, byte* destination)
{
    public long Offset { get; } = offset;

    public int Length { get; } = length;

    public byte* Destination { get; } = destination;
}
