using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Store.Storage;

/// <summary>
/// A read-only file opened for unbuffered reads (Linux O_DIRECT): reads bypass the OS page cache, so
/// they cost what the device costs and fill no memory the process does not own. Offsets, lengths and
/// buffer addresses must be multiples of <see cref="Alignment"/>. Where O_DIRECT is refused (tmpfs,
/// another OS) the file is opened ordinarily and <see cref="IsDirect"/> says so.
/// </summary>
internal sealed partial class DirectFile : IDisposable
{
    /// <summary>Alignment of offsets, lengths and buffers (the page size every Linux block device accepts).</summary>
    public const int Alignment = 4096;

    private const int ReadOnly = 0;
    private const int CloseOnExec = 0x80000;

    private DirectFile(string path, SafeFileHandle handle, int descriptor, bool direct)
    {
        Path = path;
        Handle = handle;
        Descriptor = descriptor;
        IsDirect = direct;
    }

    public string Path { get; }

    public SafeFileHandle Handle { get; }

    /// <summary>The Unix file descriptor (for Linux AIO), or -1 where there is none.</summary>
    public int Descriptor { get; }

    /// <summary>True if reads bypass the page cache.</summary>
    public bool IsDirect { get; }

    public static DirectFile OpenRead(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            int flags = ReadOnly | CloseOnExec | DirectFlag;
            int fd = Open(path, flags);
            if (fd >= 0)
            {
                return new DirectFile(path, new SafeFileHandle(fd, ownsHandle: true), fd, direct: true);
            }

            fd = Open(path, ReadOnly | CloseOnExec);
            if (fd >= 0)
            {
                return new DirectFile(path, new SafeFileHandle(fd, ownsHandle: true), fd, direct: false);
            }

            throw new IOException($"Cannot open '{path}' for reading (errno {Marshal.GetLastPInvokeError()}).");
        }

        SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return new DirectFile(path, handle, -1, direct: false);
    }

    /// <summary>Reads <paramref name="buffer"/>.Length bytes at <paramref name="offset"/> (short only at the end of the file).</summary>
    public int Read(Span<byte> buffer, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = RandomAccess.Read(Handle, buffer[total..], offset + total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    public void Dispose() => Handle.Dispose();

    /// <summary>O_DIRECT: 0x4000 on x86-64, 0x10000 on arm64.</summary>
    private static int DirectFlag => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x10000 : 0x4000;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);
}

/// <summary>Memory aligned for direct I/O, owned natively (outside the GC heap), freed on dispose.</summary>
internal sealed unsafe class AlignedBuffer : IDisposable
{
    private byte* _pointer;

    public AlignedBuffer(int length)
    {
        Length = (length + DirectFile.Alignment - 1) / DirectFile.Alignment * DirectFile.Alignment;
        _pointer = (byte*)NativeMemory.AlignedAlloc((nuint)Length, DirectFile.Alignment);
    }

    public int Length { get; }

    public byte* Pointer => _pointer;

    public Span<byte> Span => new(_pointer, Length);

    ~AlignedBuffer() => Free();

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_pointer is not null)
        {
            NativeMemory.AlignedFree(_pointer);
            _pointer = null;
        }
    }
}
