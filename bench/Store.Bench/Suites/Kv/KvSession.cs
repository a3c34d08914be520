using System.Diagnostics;
using System.Globalization;
using Store.Bench.Measurement;
using Store.Bench.Reporting;
using Store.Bench.Suites.Kv.Engines;

namespace Store.Bench.Suites.Kv;

/// <summary>
/// Runs the kv suite: per key count, per engine, per thread count, a fresh database in its own
/// directory: fillrandom; persist and close; bytes on disk; reopen (timed) and check a sample of
/// values; for Store also a reopen replaying the whole log (timed); a wait for background work
/// (RocksDB's compactions); then readrandom,
/// readwhilewriting and seekrandom on the reopened database, each read phase after an untimed
/// warm-up. The directory is deleted afterwards. An engine that throws is reported and its remaining
/// cells at that key count are skipped.
/// </summary>
internal sealed class KvSession(KvSettings settings, IReadOnlyList<KvPeer> peers, ResultLog log, TextWriter console)
{
    public const string FillRandom = "fillrandom";
    public const string ReadRandom = "readrandom";
    public const string ReadWhileWriting = "readwhilewriting";
    public const string SeekRandom = "seekrandom";

    private const int ProgressKeys = 5_000_000;

    private readonly KvResultTable _table = new(log);
    private readonly KvResultBook _book = new();

    /// <summary>Returns 0 if every engine ran every cell, 1 otherwise.</summary>
    public int Run()
    {
        _table.WriteHeader();
        int failures = 0;
        foreach (int keys in settings.Keys)
        {
            var clock = Stopwatch.StartNew();
            var data = KvData.Generate(keys);
            console.WriteLine($"  ({keys} keys generated in {clock.Elapsed.TotalSeconds:0.0} s)");
            foreach (var peer in peers)
            {
                WarmUp(peer);
                foreach (int threads in settings.Threads)
                {
                    try
                    {
                        RunCell(peer, data, threads);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        failures++;
                        var cause = e is AggregateException { InnerExceptions.Count: 1 } single ? single.InnerExceptions[0] : e;
                        log.Line($"# {peer.Engine} failed at {keys} keys, {threads} threads; its other cells at {keys} keys skipped: " +
                            $"{cause.GetType().Name}: {cause.Message}");
                        break;
                    }
                    finally
                    {
                        GC.Collect();
                    }
                }
            }
        }

        KvSummary.Write(log, _book, settings, peers);
        return failures == 0 ? 0 : 1;
    }

    /// <summary>
    /// One untimed pass of every phase on a small throwaway database, so each engine's measured
    /// cells run warm code (Store's JIT tiering; caches of every engine alike).
    /// </summary>
    private void WarmUp(KvPeer peer)
    {
        const int WarmUpKeys = 200_000;
        var data = KvData.Generate(WarmUpKeys);
        string directory = Path.Combine(settings.WorkDirectory, $"store-bench-kv-warmup-{peer.Name}-{Environment.ProcessId}");
        DeleteDirectory(directory);
        Directory.CreateDirectory(directory);
        IKvEngine? engine = null;
        var clock = Stopwatch.StartNew();
        try
        {
            engine = peer.Create(directory, WarmUpKeys);
            KvPhases.Fill(engine, data, 1, null);
            engine.Persist();
            engine.Dispose();
            engine = null;
            engine = peer.SupportsFullReplay ? peer.ReopenReplayingWholeLog(directory, WarmUpKeys).Engine : peer.Reopen(directory, WarmUpKeys);
            KvPhases.ReadRandom(engine, data, 1, settings.WarmUp, 0x77);
            if (peer.SupportsSeek)
            {
                KvPhases.SeekRandom(engine, data, 1, settings.WarmUp, 0x78);
            }
        }
        finally
        {
            engine?.Dispose();
            DeleteDirectory(directory);
        }

        console.WriteLine($"  ({peer.Engine} warmed up on {WarmUpKeys} keys in {clock.Elapsed.TotalSeconds:0.0} s, untimed)");
    }

    private void RunCell(KvPeer peer, KvData data, int threads)
    {
        int keys = data.Count;
        string directory = Path.Combine(settings.WorkDirectory, $"store-bench-kv-{peer.Name}-{keys}-{threads}-{Environment.ProcessId}");
        DeleteDirectory(directory);
        Directory.CreateDirectory(directory);
        IKvEngine? engine = null;
        try
        {
            engine = peer.Create(directory, keys);
            var fill = KvPhases.Fill(engine, data, threads, keys >= ProgressKeys ? console.WriteLine : null);
            engine.Persist();
            engine.Dispose();
            engine = null;
            long bytesOnDisk = DirectoryBytes.Total(directory);
            _book.Add(peer.Engine, FillRandom, keys, threads, fill);
            _table.Write(peer.Engine, FillRandom, keys, threads, fill, bytesOnDisk);

            var clock = Stopwatch.StartNew();
            engine = peer.Reopen(directory, keys);
            var reopen = clock.Elapsed;
            KvChecks.ExpectFilled(engine, data, KvSettings.VerifySamples, $"{peer.Engine} after reopen");
            FullReplay? replay = null;
            if (peer.SupportsFullReplay)
            {
                engine.Dispose();
                engine = null;
                replay = peer.ReopenReplayingWholeLog(directory, keys);
                engine = replay.Engine;
                KvChecks.ExpectFilled(engine, data, KvSettings.VerifySamples, $"{peer.Engine} after replaying the whole log");
            }

            clock.Restart();
            if (!engine.Settle(KvSettings.SettleLimit))
            {
                log.Line($"# {peer.Engine} {keys} keys {threads} threads: background work still running after {KvSettings.SettleLimit.TotalSeconds} s; reads start anyway");
            }

            var recovery = new KvRecovery(peer.Engine, keys, threads, bytesOnDisk, reopen, replay?.LogBytes, replay?.Elapsed, clock.Elapsed);
            _book.Add(recovery);
            console.WriteLine($"  {Describe(recovery)}");

            ulong seed = ((ulong)keys << 8) ^ (ulong)threads;
            KvPhases.ReadRandom(engine, data, threads, settings.WarmUp, seed ^ 0x1000);
            Record(peer, ReadRandom, keys, threads, KvPhases.ReadRandom(engine, data, threads, settings.Duration, seed ^ 0x2000));

            var (readers, writes) = KvPhases.ReadWhileWriting(engine, data, threads, settings.Duration, seed ^ 0x3000);
            Record(peer, ReadWhileWriting, keys, threads, readers);
            console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {peer.Engine} readwhilewriting: the writer thread did {writes / readers.Seconds / 1e3:0.0} Kops/s beside {threads} reader(s)"));

            if (peer.SupportsSeek)
            {
                KvPhases.SeekRandom(engine, data, threads, settings.WarmUp, seed ^ 0x4000);
                Record(peer, SeekRandom, keys, threads, KvPhases.SeekRandom(engine, data, threads, settings.Duration, seed ^ 0x5000));
            }
            else
            {
                _table.WriteNotApplicable(peer.Engine, SeekRandom, keys, threads);
            }
        }
        finally
        {
            engine?.Dispose();
            DeleteDirectory(directory);
        }
    }

    private void Record(KvPeer peer, string workload, int keys, int threads, PhaseMeasurement measurement)
    {
        _book.Add(peer.Engine, workload, keys, threads, measurement);
        _table.Write(peer.Engine, workload, keys, threads, measurement);
    }

    private static string Describe(KvRecovery r)
    {
        string text = string.Create(
            CultureInfo.InvariantCulture,
            $"{r.Engine} {r.Keys} keys {r.Threads} threads: {r.BytesOnDisk} bytes on disk after close; reopen {r.Reopen.TotalSeconds:0.000} s; " +
            $"settled in {r.Settle.TotalSeconds:0.0} s");
        return r.ReplayMegabytesPerSecond is { } rate
            ? text + string.Create(
                CultureInfo.InvariantCulture,
                $"; whole-log replay {r.ReplayedBytes / 1e6:0.0} MB in {r.Replay!.Value.TotalSeconds:0.000} s = {rate:0} MB/s")
            : text;
    }

    private void DeleteDirectory(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException e)
        {
            log.Line($"# could not delete {directory}: {e.Message}");
        }
    }
}
