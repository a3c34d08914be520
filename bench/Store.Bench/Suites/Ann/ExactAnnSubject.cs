using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Store.Bench.Suites.Ann;

/// <summary>
/// Exact brute-force search written in the suite: it checks the harness (ground-truth reading,
/// recall code, the query runner, memory measurement) and must reach recall 1. It is never Store.
/// <see cref="Build"/> writes the vectors to one file (uint8 for integer-valued data, as Store stores
/// them there; else float32); <see cref="Open"/> reads that file into memory; a search scans it all.
/// </summary>
internal sealed class ExactAnnSubject : IAnnSubject
{
    private const string FileName = "exact.vectors";

    private byte[]? _bytes;
    private float[]? _floats;
    private int _dimension;
    private bool _asBytes;

    public string Name => "exact (harness check)";

    public bool IsStore => false;

    public IReadOnlyList<AnnSetting> Sweep { get; } = [new AnnSetting("full scan")];

    public string Describe() =>
        "exact (harness check): brute-force scan written in the suite, NOT Store; uint8 storage for integer-valued data " +
        "(squared L2 in int32 via AVX2 vpmaddwd), else float32 (Vector256); lower id wins a distance tie";

    public AnnBuildTimes Build(AnnDataset data, string directory, Action<string> progress)
    {
        Directory.CreateDirectory(directory);
        var clock = Stopwatch.StartNew();
        using (var stream = new FileStream(Path.Combine(directory, FileName), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(data.Dimension);
            writer.Write(data.Count);
            writer.Write(data.IntegerValued);
            var row = new byte[data.Dimension];
            for (int id = 0; id < data.Count; id++)
            {
                var vector = data.Vector(id);
                if (data.IntegerValued)
                {
                    for (int i = 0; i < row.Length; i++)
                    {
                        row[i] = checked((byte)vector[i]);
                    }

                    writer.Write(row);
                }
                else
                {
                    writer.Write(MemoryMarshal.AsBytes(vector));
                }
            }
        }

        return new AnnBuildTimes(clock.Elapsed, TimeSpan.Zero, LoadBuildsIndex: true);
    }

    public void Open(string directory)
    {
        using var stream = new FileStream(Path.Combine(directory, FileName), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        using var reader = new BinaryReader(stream);
        _dimension = reader.ReadInt32();
        int count = reader.ReadInt32();
        _asBytes = reader.ReadBoolean();
        if (_asBytes)
        {
            _bytes = new byte[(long)count * _dimension];
            stream.ReadExactly(_bytes);
        }
        else
        {
            _floats = new float[(long)count * _dimension];
            stream.ReadExactly(MemoryMarshal.AsBytes(_floats.AsSpan()));
        }
    }

    public IAnnSearcher CreateSearcher() => new Searcher(this);

    public void Dispose()
    {
        _bytes = null;
        _floats = null;
    }

    private sealed class Searcher(ExactAnnSubject subject) : IAnnSearcher
    {
        private readonly byte[] _query = new byte[subject._dimension];
        private TopK? _top;
        private int _topK;

        public int Search(float[] query, int k, AnnSetting setting, Span<long> ids)
        {
            int dimension = subject._dimension;
            if (_top is null || _topK != k)
            {
                _top = new TopK(k);
                _topK = k;
            }

            var top = _top;
            top.Clear();
            if (subject._asBytes)
            {
                for (int i = 0; i < dimension; i++)
                {
                    _query[i] = checked((byte)query[i]);
                }

                var all = subject._bytes!.AsSpan();
                int count = all.Length / dimension;
                for (int id = 0; id < count; id++)
                {
                    int d = L2Kernels.Byte(_query, all.Slice(id * dimension, dimension));
                    if (d < top.Bound)
                    {
                        top.Offer(d, id);
                    }
                }
            }
            else
            {
                var all = subject._floats!.AsSpan();
                int count = all.Length / dimension;
                for (int id = 0; id < count; id++)
                {
                    float d = L2Kernels.Float(query, all.Slice(id * dimension, dimension));
                    if (d < top.Bound)
                    {
                        top.Offer(d, id);
                    }
                }
            }

            return top.CopyIds(ids);
        }
    }
}
