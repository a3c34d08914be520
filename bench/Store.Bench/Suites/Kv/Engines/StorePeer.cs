using System.Buffers;
using System.Diagnostics;
using Store.Kv;

namespace Store.Bench.Suites.Kv.Engines;

/// <summary>
/// Store's KV tier: one keyspace, <see cref="Durability.Batched"/> (log on, group commit, no fsync per
/// write), other options default. Its full-replay reopen deletes the checkpoints and opens with
/// checkpoints off, so every log record is replayed.
/// </summary>
internal sealed class StorePeer : KvPeer
{
    public const string CommandName = "store";

    private const string KeyspaceName = "bench";
    private const string CheckpointFolder = "checkpoint";
    private const string LogFolder = "log";

    public override string Name => CommandName;

    public override string Engine => "Store";

    public override bool SupportsSeek => true;

    public override string Describe() =>
        "Store: Durability.Batched (group commit, no fsync per write), default DatabaseOptions, one keyspace; " +
        "TryGet into a per-thread ArrayBufferWriter, ScanFrom(key, limit 11) for seek + 10 nexts";

    public override IKvEngine Create(string directory, int keys) => Open(directory, new DatabaseOptions { Durability = Durability.Batched });

    public override IKvEngine Reopen(string directory, int keys) => Open(directory, new DatabaseOptions { Durability = Durability.Batched });

    public override bool SupportsFullReplay => true;

    public override FullReplay ReopenReplayingWholeLog(string directory, int keys)
    {
        string checkpoints = Path.Combine(directory, CheckpointFolder);
        if (Directory.Exists(checkpoints))
        {
            Directory.Delete(checkpoints, recursive: true);
        }

        long logBytes = DirectoryBytes.UsedLogBytes(Path.Combine(directory, LogFolder));
        var clock = Stopwatch.StartNew();
        var engine = Open(directory, new DatabaseOptions { Durability = Durability.Batched, CheckpointInterval = TimeSpan.Zero });
        clock.Stop();
        return new FullReplay(engine, logBytes, clock.Elapsed);
    }

    private static StoreEngine Open(string directory, DatabaseOptions options)
    {
        var database = Database.Open(directory, options);
        try
        {
            return new StoreEngine(database, database.GetOrCreateKeyspace(KeyspaceName));
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    private sealed class StoreEngine(Database database, Keyspace keyspace) : IKvEngine
    {
        public long? Count => keyspace.Count;

        public IKvWorker CreateWorker() => new Worker(keyspace);

        /// <summary>Nothing: disposing the database flushes and checkpoints.</summary>
        public void Persist()
        {
        }

        public bool Settle(TimeSpan limit) => true;

        public void Dispose() => database.Dispose();
    }

    private sealed class Worker : IKvWorker
    {
        private readonly Keyspace _keyspace;
        private readonly ArrayBufferWriter<byte> _value = new(256);
        private readonly KvScanVisitor _visitor;
        private long _scanChecksum;

        public Worker(Keyspace keyspace)
        {
            _keyspace = keyspace;
            _visitor = Visit;
        }

        public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => _keyspace.Set(key, value);

        public bool TryGet(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
        {
            _value.ResetWrittenCount();
            bool found = _keyspace.TryGet(key, _value, out _);
            value = found ? _value.WrittenSpan : default;
            return found;
        }

        public int SeekAndRead(ReadOnlySpan<byte> key, int count, ref long checksum)
        {
            _scanChecksum = 0;
            long read = _keyspace.ScanFrom(key, _visitor, count);
            checksum += _scanChecksum;
            return (int)read;
        }

        public void Dispose()
        {
        }

        private bool Visit(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            _scanChecksum += key.Length + (value.IsEmpty ? 0 : value[0]);
            return true;
        }
    }
}
