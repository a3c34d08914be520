using FASTER.core;

namespace Store.Bench.Peers.Faster;

/// <summary>
/// FASTER KV (Microsoft.FASTER.Core 2.6.5) with 16-byte keys and 100-byte values: a hash index and a
/// hybrid log on a local file device in <c>directory</c>, log memory sized so every key stays in
/// memory (room for three records per key, so overwrites after a fold-over checkpoint still fit).
/// No per-operation fsync: FASTER persists by checkpoint; <see cref="Checkpoint"/> folds the log
/// over (flushes it to the device) and writes the index. Default concurrency control (lock table).
/// </summary>
internal sealed class FasterStore : IDisposable
{
    private const int RecordBytes = 128;
    private const string LogFile = "hlog.log";
    private const string CheckpointFolder = "checkpoints";

    private readonly IDevice _device;
    private readonly FasterKV<Key16, Value100> _store;

    private FasterStore(IDevice device, FasterKV<Key16, Value100> store)
    {
        _device = device;
        _store = store;
    }

    /// <summary>A new store in <paramref name="directory"/>, sized for <paramref name="expectedKeys"/>.</summary>
    public static FasterStore Create(string directory, long expectedKeys) => Build(directory, expectedKeys, recover: false);

    /// <summary>Recovers the store from its latest checkpoint in <paramref name="directory"/>.</summary>
    public static FasterStore Recover(string directory, long expectedKeys) => Build(directory, expectedKeys, recover: true);

    /// <summary>Folds the log over (everything flushed to the device) and checkpoints the index; waits for both.</summary>
    public void Checkpoint()
    {
        var (success, _) = _store.TakeFullCheckpointAsync(CheckpointType.FoldOver).AsTask().GetAwaiter().GetResult();
        if (!success)
        {
            throw new InvalidOperationException("FASTER refused the checkpoint (another one in progress?)");
        }

        _store.CompleteCheckpointAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>A session for one thread.</summary>
    public FasterSession CreateSession() => new(_store.For(new SimpleFunctions<Key16, Value100>()).NewSession<SimpleFunctions<Key16, Value100>>());

    public void Dispose()
    {
        _store.Dispose();
        _device.Dispose();
    }

    private static FasterStore Build(string directory, long expectedKeys, bool recover)
    {
        long keys = Math.Max(expectedKeys, 1 << 16);
        int memoryBits = Math.Max(25, (int)Math.Ceiling(Math.Log2(3.0 * keys * RecordBytes)));
        long buckets = 1L << (int)Math.Ceiling(Math.Log2(keys / 2.0));
        var device = Devices.CreateLogDevice(Path.Combine(directory, LogFile), preallocateFile: false, deleteOnClose: false, recoverDevice: recover);
        try
        {
            var store = new FasterKV<Key16, Value100>(
                buckets,
                new LogSettings { LogDevice = device, MemorySizeBits = memoryBits, PageSizeBits = 25 },
                new CheckpointSettings { CheckpointDir = Path.Combine(directory, CheckpointFolder), RemoveOutdated = true },
                serializerSettings: null,
                comparer: Key16Comparer.Instance);
            if (recover)
            {
                store.Recover();
            }

            return new FasterStore(device, store);
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }
}
