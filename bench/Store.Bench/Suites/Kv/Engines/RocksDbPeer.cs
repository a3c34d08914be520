using Store.Bench.Peers.RocksDb;

namespace Store.Bench.Suites.Kv.Engines;

/// <summary>RocksDB through <see cref="RocksDatabase"/>: WAL on, no fsync per write, LZ4, default sizes (as db_bench).</summary>
internal sealed class RocksDbPeer(bool allowInstall, RocksDbTuning tuning) : KvPeer
{
    public const string CommandName = "rocksdb";

    public override string Name => CommandName;

    public override string Engine => "RocksDB";

    public override bool SupportsSeek => true;

    public override string Describe() =>
        $"RocksDB ({RocksDbLibrary.LoadedName ?? "library not loaded"} via the C API): WAL on, sync=false, lz4, " +
        $"increase_parallelism(cores), {tuning.Describe()}, other options default; reads start once flushes and compactions " +
        "left by the fill are done; one iterator per thread and phase, reused across seeks";

    public override bool CheckAvailable(Action<string> report)
    {
        if (RocksDbLibrary.EnsureLoaded(report, allowInstall))
        {
            return true;
        }

        report($"# rocksdb: not installed (apt-get install {RocksDbLibrary.Package}); its rows are skipped");
        return false;
    }

    public override IKvEngine Create(string directory, int keys) => new RocksDbEngine(RocksDatabase.Open(directory, tuning));

    public override IKvEngine Reopen(string directory, int keys) => new RocksDbEngine(RocksDatabase.Open(directory, tuning));

    private sealed class RocksDbEngine(RocksDatabase database) : IKvEngine
    {
        public long? Count => null;

        public IKvWorker CreateWorker() => new Worker(database.CreateSession());

        public void Persist()
        {
        }

        public bool Settle(TimeSpan limit) => database.WaitForBackgroundWork(limit);

        public void Dispose() => database.Dispose();
    }

    private sealed class Worker(RocksSession session) : IKvWorker
    {
        private readonly byte[] _value = new byte[256];

        public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => session.Put(key, value);

        public bool TryGet(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
        {
            int length = session.Get(key, _value);
            value = length < 0 ? default : _value.AsSpan(0, Math.Min(length, _value.Length));
            return length >= 0;
        }

        public int SeekAndRead(ReadOnlySpan<byte> key, int count, ref long checksum) => session.SeekAndRead(key, count, ref checksum);

        public void Dispose() => session.Dispose();
    }
}
