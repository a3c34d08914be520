using Store.Kv;
using Store.Tests.Kv;
using Store.Vectors;

namespace Store.Tests.Vectors;

/// <summary>Bad input gets a typed error and writes nothing; damaged or foreign index files are refused.</summary>
public sealed class VectorBadInputTests
{
    [Fact]
    public void BadVectorsAndQueriesAreRefusedAndNothingIsWritten()
    {
        using var temp = new TempDirectory("vectors-bad");
        using var db = Database.Open(temp.Combine("db"));
        VectorCollection bytes = db.CreateVectorCollection("u8", new VectorCollectionOptions { Dimension = 4, ElementType = VectorElementType.UInt8, Index = VectorIndexKind.Flat });
        VectorCollection cosine = db.CreateVectorCollection("cos", new VectorCollectionOptions { Dimension = 4, Metric = VectorMetric.Cosine });

        Assert.Throws<VectorDimensionException>(() => bytes.Add(1, [1, 2, 3]));
        Assert.Throws<InvalidVectorException>(() => bytes.Add(1, [1, 2, 3, 256]));
        Assert.Throws<InvalidVectorException>(() => bytes.Add(1, [1, 2, 3, 0.5f]));
        Assert.Throws<InvalidVectorException>(() => bytes.Add(1, [1, 2, -1, 0]));
        Assert.Throws<InvalidVectorException>(() => cosine.Add(1, [0, 0, 0, 0]));
        Assert.Throws<InvalidVectorException>(() => cosine.Add(1, [1, float.NaN, 0, 0]));
        Assert.Throws<InvalidVectorException>(() => cosine.Add(1, [1, float.PositiveInfinity, 0, 0]));
        Assert.Throws<ArgumentException>(() => bytes.Add(1, [1, 2, 3, 4], new byte[bytes.Options.MaxPayloadBytes + 1]));
        Assert.Throws<VectorDimensionException>(() => bytes.AddRange([1, 2], new float[7]));
        Assert.Throws<InvalidVectorException>(() => bytes.AddRange([1, 2], [1, 2, 3, 4, 5, 6, 7, 300]));
        Assert.Equal(0, bytes.Count);
        Assert.Equal(0, cosine.Count);

        bytes.Add(1, [1, 2, 3, 4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => bytes.Search([1, 2, 3, 4], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => bytes.Search([1, 2, 3, 4], VectorCollection.MaxK + 1));
        Assert.Throws<VectorDimensionException>(() => bytes.Search([1, 2, 3], 1));
        Assert.Throws<InvalidVectorException>(() => bytes.Search([1, 2, 3, float.NaN], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => bytes.Search([1, 2, 3, 4], 1, new VectorSearchOptions { Lists = 0 }));
        Assert.Single(bytes.Search([1, 2, 3, 4], 5));
    }

    [Fact]
    public void BadNamesOptionsAndUnknownCollectionsAreRefused()
    {
        using var temp = new TempDirectory("vectors-names");
        using var db = Database.Open(temp.Combine("db"));
        Assert.Throws<VectorCollectionNotFoundException>(() => db.GetVectorCollection("missing"));
        Assert.False(db.TryGetVectorCollection("../etc", out _));
        Assert.Throws<ArgumentException>(() => db.CreateVectorCollection("a/b", new VectorCollectionOptions { Dimension = 2 }));
        Assert.Throws<ArgumentException>(() => db.CreateVectorCollection(".hidden", new VectorCollectionOptions { Dimension = 2 }));
        Assert.Throws<ArgumentException>(() => db.GetOrCreateKeyspace("$vectors/x"));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => db.CreateVectorCollection("d", new VectorCollectionOptions { Dimension = 0 }));
        Assert.Contains("Dimension", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => db.CreateVectorCollection("d", new VectorCollectionOptions { Dimension = 8, Spann = new SpannOptions { ReplicaCount = 0 } }));
        Assert.Contains("ReplicaCount", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => db.CreateVectorCollection("d", new VectorCollectionOptions { Dimension = 8, ElementType = VectorElementType.Int8PerDimensionScale }));
        Assert.Contains("scales", e.Message);
        db.CreateVectorCollection("d", new VectorCollectionOptions { Dimension = 8 });
        Assert.Throws<InvalidOperationException>(() => db.CreateVectorCollection("d", new VectorCollectionOptions { Dimension = 8 }));
    }

    [Theory]
    [InlineData("spann.postings")]
    [InlineData("spann.heads")]
    [InlineData("spann.graph.1")]
    [InlineData("collection")]
    public void AFlippedByteInAnIndexFileIsDetected(string file)
    {
        using var temp = new TempDirectory("vectors-corrupt");
        string path = temp.Combine("db");
        var data = new ClusteredData(1500, 20, 16, 10, TestMode.Seed(4201));
        using (var db = Database.Open(path))
        {
            VectorCollection c = db.CreateVectorCollection("c", new VectorCollectionOptions { Dimension = 16, Index = VectorIndexKind.Spann });
            c.AddRange([.. Enumerable.Range(0, data.Count).Select(i => (long)i)], data.Base);
            c.BuildIndex();
        }

        string target = Path.Combine(path, "vectors", "c", file);
        byte[] bytes = File.ReadAllBytes(target);
        int offset = file == "spann.postings" ? LastDataByteOfPostings(bytes) : bytes.Length / 2;
        bytes[offset] ^= 0x5A;
        File.WriteAllBytes(target, bytes);

        using (var db = Database.Open(path))
        {
            Assert.Throws<StoreCorruptionException>(() =>
            {
                VectorCollection c = db.GetVectorCollection("c");
                for (int q = 0; q < data.QueryCount; q++)
                {
                    c.Search(data.Query(q), 10, new VectorSearchOptions { Lists = 1024, Epsilon = 1000 }); // reads every list
                }
            });
        }
    }

    /// <summary>A byte of list data (not padding) in the last page that holds any.</summary>
    private static int LastDataByteOfPostings(byte[] bytes)
    {
        for (int page = (bytes.Length / 4096) - 1; page > 0; page--)
        {
            int last = Array.FindLastIndex(bytes, (page * 4096) + 4095, 4096, b => b != 0);
            if (last > (page * 4096) + 16)
            {
                return last;
            }
        }

        throw new InvalidOperationException("the posting file holds no list data");
    }

    [Fact]
    public void AnIndexFileOfAnotherFormatVersionIsRefused()
    {
        using var temp = new TempDirectory("vectors-version");
        string path = temp.Combine("db");
        using (var db = Database.Open(path))
        {
            VectorCollection c = db.CreateVectorCollection("c", new VectorCollectionOptions { Dimension = 4, Index = VectorIndexKind.Spann });
            c.AddRange([1, 2, 3], new float[] { 1, 2, 3, 4, 4, 3, 2, 1, 0, 0, 1, 1 });
            c.BuildIndex();
        }

        string postings = Path.Combine(path, "vectors", "c", "spann.postings");
        byte[] bytes = File.ReadAllBytes(postings);
        bytes[8] = 99; // format version, with the header's checksum made right again
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(28), Store.Storage.Crc32C.Compute(bytes.AsSpan(0, 28)));
        File.WriteAllBytes(postings, bytes);
        using (var db = Database.Open(path))
        {
            var e = Assert.Throws<UnsupportedFormatException>(() => db.GetVectorCollection("c"));
            Assert.Contains("version 99", e.Message);
        }
    }
}
