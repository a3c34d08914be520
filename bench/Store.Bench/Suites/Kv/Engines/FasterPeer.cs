using Store.Bench.Peers.Faster;

namespace Store.Bench.Suites.Kv.Engines;

/// <summary>FASTER KV through <see cref="FasterStore"/>; it has no ordered scan, so no seek rows.</summary>
internal sealed class FasterPeer : KvPeer
{
    public const string CommandName = "faster";

    public override string Name => CommandName;

    public override string Engine => "FASTER";

    public override bool SupportsSeek => false;

    public override string Describe() =>
        "FASTER KV 2.6.5: FasterKV<16-byte struct, 100-byte struct>, hybrid log on a local file device, log memory " +
        "sized to hold every key (3 records/key), index keys/2 buckets, default lock table, one session per thread; " +
        "no per-op fsync: after the fill a fold-over checkpoint flushes the log (not timed), reopen = Recover()";

    public override IKvEngine Create(string directory, int keys) => new FasterEngine(FasterStore.Create(directory, keys));

    public override IKvEngine Reopen(string directory, int keys) => new FasterEngine(FasterStore.Recover(directory, keys));

    private sealed class FasterEngine(FasterStore store) : IKvEngine
    {
        public long? Count => null;

        public IKvWorker CreateWorker() => new Worker(store.CreateSession());

        public void Persist() => store.Checkpoint();

        public bool Settle(TimeSpan limit) => true;

        public void Dispose() => store.Dispose();
    }

    private sealed class Worker(FasterSession session) : IKvWorker
    {
        public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => session.Upsert(key, value);

        public bool TryGet(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value) => session.TryRead(key, out value);

        public int SeekAndRead(ReadOnlySpan<byte> key, int count, ref long checksum) =>
            throw new NotSupportedException("FASTER KV has no ordered scan");

        public void Dispose() => session.Dispose();
    }
}
