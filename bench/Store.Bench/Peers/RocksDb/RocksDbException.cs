using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Store.Bench.Peers.RocksDb;

/// <summary>An error RocksDB reported through an <c>errptr</c>.</summary>
internal sealed class RocksDbException(string message) : Exception(message)
{
    /// <summary>Throws if <paramref name="error"/> is set, after freeing RocksDB's message.</summary>
    public static void ThrowIfSet(nint error, string operation)
    {
        if (error != 0)
        {
            Throw(error, operation);
        }
    }

    [DoesNotReturn]
    private static unsafe void Throw(nint error, string operation)
    {
        string message = Marshal.PtrToStringUTF8(error) ?? "(no message)";
        RocksDbNative.rocksdb_free((void*)error);
        throw new RocksDbException($"rocksdb {operation}: {message}");
    }
}
