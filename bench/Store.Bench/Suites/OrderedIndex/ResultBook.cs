using Store.Bench.Measurement;
using Store.Bench.Workloads;

namespace Store.Bench.Suites.OrderedIndex;

/// <summary>Median measurements and footprints kept for the <c>result</c> lines.</summary>
internal sealed class ResultBook
{
    private readonly Dictionary<(string Peer, BenchCell Cell), PhaseMeasurement> _measurements = [];
    private readonly Dictionary<string, double> _bytesPerEntry = [];

    public void Add(string peer, BenchCell cell, PhaseMeasurement measurement) => _measurements[(peer, cell)] = measurement;

    public void AddBytesPerEntry(string peer, double bytes) => _bytesPerEntry[peer] = bytes;

    public PhaseMeasurement? Find(string peer, Workload workload, KeyDistribution distribution, int keyBytes, int threads) =>
        _measurements.GetValueOrDefault((peer, new BenchCell(workload, distribution, keyBytes, threads)));

    public double? BytesPerEntry(string peer) => _bytesPerEntry.TryGetValue(peer, out double bytes) ? bytes : null;
}
