using System.Buffers.Binary;
using System.IO.Compression;
using Store.Tests.Kv;
using Store.Vectors;

namespace Store.Tests.Vectors;

/// <summary>
/// <see cref="VectorFileReader"/>: every format round-trips files written here, limits and progress,
/// and every malformed file gives the typed error naming the right offset.
/// </summary>
public sealed class VectorFileTests : IDisposable
{
    private const string FashionTrain = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";
    private const string FashionLabels = "/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz";
    private readonly TempDirectory _temp = new("vector-files");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(128, 300)]
    [InlineData(VectorSpace.MaxDimension, 3)]
    public void FvecsRoundTripBitForBit(int dimension, int count)
    {
        var random = new Random(TestMode.Seed(100 + dimension));
        float[][] rows = RandomRows(random, count, dimension, () => (random.NextSingle() * 2000) - 1000);
        rows[0][0] = float.NaN;
        rows[^1][^1] = -0f;
        string path = Write("a.fvecs", Vecs(rows, 4, (span, x) => BinaryPrimitives.WriteSingleLittleEndian(span, x)));

        VectorMatrix matrix = VectorFileReader.Read(path);

        AssertRows(rows, matrix);
        Assert.Equal(
            rows.SelectMany(r => r).Select(BitConverter.SingleToInt32Bits),
            matrix.Data.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(128, 257)]
    [InlineData(VectorSpace.MaxDimension, 2)]
    public void BvecsRoundTrip(int dimension, int count)
    {
        var random = new Random(TestMode.Seed(200 + dimension));
        byte[][] rows = Enumerable.Range(0, count).Select(_ => RandomBytes(random, dimension)).ToArray();
        rows[0][0] = 255;
        string path = Write("a.bvecs", Vecs(rows, 1, (span, x) => span[0] = x));

        VectorMatrix matrix = VectorFileReader.Read(path);

        AssertRows(rows.Select(r => r.Select(b => (float)b).ToArray()).ToArray(), matrix);
    }

    [Fact]
    public void IvecsRoundTripAsFloatsAndAsInts()
    {
        var random = new Random(TestMode.Seed(300));
        int[][] rows = Enumerable.Range(0, 100).Select(_ => Enumerable.Range(0, 10).Select(_ => random.Next(-(1 << 24), (1 << 24) + 1)).ToArray()).ToArray();
        rows[0][0] = 1 << 24;
        rows[0][1] = -(1 << 24);
        rows[0][2] = int.MinValue;
        rows[0][3] = 1 << 30;
        string path = Write("gt.ivecs", Vecs(rows, 4, (span, x) => BinaryPrimitives.WriteInt32LittleEndian(span, x)));

        VectorMatrix matrix = VectorFileReader.Read(path);
        int[][] ints = VectorFileReader.ReadIvecs(path);

        AssertRows(rows.Select(r => r.Select(x => (float)x).ToArray()).ToArray(), matrix);
        Assert.Equal(rows, ints);
        Assert.Equal(rows.Take(7), VectorFileReader.ReadIvecs(path, limit: 7));
    }

    [Fact]
    public void IvecsComponentsFloatCannotHoldAreRefusedAsFloatsButReadAsInts()
    {
        int[][] rows = [[1, 2, 3], [4, (1 << 24) + 1, 6]];
        string path = Write("gt.ivecs", Vecs(rows, 4, (span, x) => BinaryPrimitives.WriteInt32LittleEndian(span, x)));

        var error = Assert.Throws<InvalidVectorException>(() => VectorFileReader.Read(path));

        Assert.Contains("component 1 of vector 1 (offset 24) is 16777217", error.Message);
        Assert.Equal(rows, VectorFileReader.ReadIvecs(path));
        Assert.Equal(1, VectorFileReader.Read(path, limit: 1).Count);
    }

    [Theory]
    [InlineData("images.idx", false)]
    [InlineData("train-images-idx3-ubyte", false)]
    [InlineData("train-images-idx3-ubyte.gz", true)]
    [InlineData("images.idx.gz", true)]
    [InlineData("gzipped-without-saying.idx", true)]
    public void IdxImagesRoundTripPlainAndGzip(string name, bool gzip)
    {
        var random = new Random(TestMode.Seed(400));
        byte[] pixels = RandomBytes(random, 123 * 5 * 7);
        byte[] file = Idx(0x08, [123, 5, 7], pixels);
        string path = Write(name, gzip ? Gzip(file) : file);

        VectorMatrix matrix = VectorFileReader.Read(path);

        Assert.Equal(123, matrix.Count);
        Assert.Equal(35, matrix.Dimension);
        Assert.Equal(pixels.Select(b => (float)b), matrix.Data);
        Assert.Equal(pixels.AsSpan(35 * 122, 35).ToArray().Select(b => (float)b), matrix.Row(122).ToArray());
        Assert.Equal(pixels.Take(35 * 10).Select(b => (float)b), VectorFileReader.Read(path, limit: 10).Data);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void IdxLabelsAndMatricesHaveTheProductOfTheOtherSizesAsDimension(bool gzip)
    {
        byte[] labels = [3, 1, 4, 1, 5, 9, 2, 6];
        string labelPath = Write("labels-idx1-ubyte" + (gzip ? ".gz" : ""), Wrap(Idx(0x08, [8], labels), gzip));
        byte[] cells = RandomBytes(new Random(TestMode.Seed(401)), 4 * 6);
        string matrixPath = Write("matrix.idx" + (gzip ? ".gz" : ""), Wrap(Idx(0x08, [4, 6], cells), gzip));

        VectorMatrix labelMatrix = VectorFileReader.Read(labelPath);
        VectorMatrix matrix = VectorFileReader.Read(matrixPath, VectorFileFormat.Idx);

        Assert.Equal((8, 1), (labelMatrix.Count, labelMatrix.Dimension));
        Assert.Equal(labels.Select(b => (float)b), labelMatrix.Data);
        Assert.Equal((4, 6), (matrix.Count, matrix.Dimension));
        Assert.Equal(cells.Select(b => (float)b), matrix.Data);
    }

    [Fact]
    public void RawFloat32RoundTripWithItsDimensionGiven()
    {
        var random = new Random(TestMode.Seed(500));
        float[][] rows = RandomRows(random, 50, 12, () => random.NextSingle());
        byte[] bytes = new byte[50 * 12 * 4];
        for (int i = 0; i < 50 * 12; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), rows[i / 12][i % 12]);
        }

        string path = Write("vectors.f32", bytes);

        AssertRows(rows, VectorFileReader.Read(path, VectorFileFormat.RawFloat32, rawDimension: 12));
        AssertRows(rows[..20], VectorFileReader.Read(path, VectorFileFormat.RawFloat32, limit: 20, rawDimension: 12));
        VectorMatrix asSix = VectorFileReader.Read(path, VectorFileFormat.RawFloat32, rawDimension: 6);
        Assert.Equal((100, 6), (asSix.Count, asSix.Dimension));
    }

    [Fact]
    public void LimitIsHonouredByEveryFormat()
    {
        var random = new Random(TestMode.Seed(600));
        byte[][] rows = Enumerable.Range(0, 40).Select(_ => RandomBytes(random, 9)).ToArray();
        float[][] floats = rows.Select(r => r.Select(b => (float)b).ToArray()).ToArray();
        string fvecs = Write("a.fvecs", Vecs(floats, 4, (span, x) => BinaryPrimitives.WriteSingleLittleEndian(span, x)));
        string bvecs = Write("a.bvecs", Vecs(rows, 1, (span, x) => span[0] = x));
        string ivecs = Write("a.ivecs", Vecs(rows.Select(r => r.Select(b => (int)b).ToArray()).ToArray(), 4, (span, x) => BinaryPrimitives.WriteInt32LittleEndian(span, x)));
        string idx = Write("a-idx2-ubyte", Idx(0x08, [40, 9], rows.SelectMany(r => r).ToArray()));
        string idxGz = Write("a-idx2-ubyte.gz", Gzip(Idx(0x08, [40, 9], rows.SelectMany(r => r).ToArray())));
        string raw = Write("a.raw", Vecs(floats, 4, (span, x) => BinaryPrimitives.WriteSingleLittleEndian(span, x)).Where((_, i) => i % 40 >= 4).ToArray());

        foreach (int limit in new[] { 0, 1, 17, 39, 40, 41, int.MaxValue })
        {
            float[][] expected = floats[..Math.Min(limit, 40)];
            foreach (string path in new[] { fvecs, bvecs, ivecs, idx, idxGz })
            {
                VectorMatrix matrix = VectorFileReader.Read(path, limit: limit);
                Assert.Equal(9, matrix.Dimension);
                AssertRows(expected, matrix);
            }

            AssertRows(expected, VectorFileReader.Read(raw, VectorFileFormat.RawFloat32, limit, rawDimension: 9));
            Assert.Equal(Math.Min(limit, 40), VectorFileReader.ReadIvecs(ivecs, limit).Length);
        }
    }

    [Fact]
    public void ProgressIsReportedAboutEvery65536VectorsFromZeroToTheTotal()
    {
        const int Count = 200_000;
        byte[] bvecs = Vecs(Enumerable.Range(0, Count).Select(i => new[] { (byte)i, (byte)(i >> 8) }).ToArray(), 1, (span, x) => span[0] = x);
        var cases = new (string Path, VectorFileFormat Format, int Raw)[]
        {
            (Write("p.bvecs", bvecs), VectorFileFormat.Auto, 0),
            (Write("p-idx2-ubyte", Idx(0x08, [Count, 2], new byte[Count * 2])), VectorFileFormat.Auto, 0),
            (Write("p-idx2-ubyte.gz", Gzip(Idx(0x08, [Count, 2], new byte[Count * 2]))), VectorFileFormat.Auto, 0),
            (Write("p.raw", new byte[Count * 4]), VectorFileFormat.RawFloat32, 1),
        };

        foreach (var (path, format, raw) in cases)
        {
            var reports = new Reports();
            VectorMatrix matrix = VectorFileReader.Read(path, format, rawDimension: raw, progress: reports);

            Assert.Equal(Count, matrix.Count);
            Assert.All(reports.Seen, r => Assert.Equal(("load", (long)Count), (r.Stage, r.Total)));
            Assert.Equal(0, reports.Seen[0].Done);
            Assert.Equal(Count, reports.Seen[^1].Done);
            Assert.InRange(reports.Seen.Count, 5, 8);
            for (int i = 1; i < reports.Seen.Count; i++)
            {
                Assert.InRange(reports.Seen[i].Done - reports.Seen[i - 1].Done, 1, 65_536);
            }
        }

        var none = new Reports();
        Assert.Equal(0, VectorFileReader.Read(Write("empty.fvecs", []), progress: none).Count);
        Assert.Equal([new VectorProgress("load", 0, 0)], none.Seen);
    }

    [Fact]
    public void EmptyVecsFilesHoldNoVectors()
    {
        foreach (string name in new[] { "e.fvecs", "e.bvecs", "e.ivecs" })
        {
            VectorMatrix matrix = VectorFileReader.Read(Write(name, []));
            Assert.Equal((0, 0), (matrix.Count, matrix.Dimension));
            Assert.Empty(matrix.Data);
        }

        Assert.Empty(VectorFileReader.ReadIvecs(_temp.Combine("e.ivecs")));
        Assert.Equal(0, VectorFileReader.Read(Write("e.raw", []), VectorFileFormat.RawFloat32, rawDimension: 3).Count);
    }

    [Fact]
    public void VecsTruncatedInsideARecordAreCorrupt()
    {
        const int Dimension = 5;
        const int Count = 20;
        var random = new Random(TestMode.Seed(700));
        foreach (var (name, elementBytes) in new[] { ("t.fvecs", 4), ("t.bvecs", 1), ("t.ivecs", 4) })
        {
            int record = 4 + (Dimension * elementBytes);
            byte[] whole = RandomBytes(random, Count * record);
            for (int i = 0; i < Count; i++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(whole.AsSpan(i * record), Dimension);
                if (elementBytes == 4)
                {
                    for (int j = 0; j < Dimension; j++)
                    {
                        BinaryPrimitives.WriteInt32LittleEndian(whole.AsSpan((i * record) + 4 + (4 * j)), random.Next(-1000, 1000));
                    }
                }
            }

            for (int trial = 0; trial < 40; trial++)
            {
                int vector = random.Next(Count);
                int cut = (vector * record) + random.Next(1, record);
                string path = Write(name, whole[..cut]);
                string message = cut < 4 ? "the file ends inside vector 0's dimension" : $"the file ends inside vector {vector}: {cut - (vector * record)} of its {record} bytes are there";

                var errors = new List<StoreCorruptionException> { Assert.Throws<StoreCorruptionException>(() => VectorFileReader.Read(path)) };
                if (elementBytes == 4 && name.EndsWith(".ivecs", StringComparison.Ordinal))
                {
                    errors.Add(Assert.Throws<StoreCorruptionException>(() => VectorFileReader.ReadIvecs(path)));
                }

                foreach (var error in errors)
                {
                    Assert.Equal(path, error.FilePath);
                    Assert.Equal(vector * record, error.Offset);
                    Assert.Contains(message, error.Message);
                }

                if (cut >= 4)
                {
                    Assert.Equal(vector, VectorFileReader.Read(path, limit: vector).Count);
                }
            }
        }
    }

    [Fact]
    public void VectorsWhoseDimensionDiffersFromTheFirstAreCorrupt()
    {
        float[][] rows = Enumerable.Range(0, 30).Select(_ => new float[784]).ToArray();
        rows[17] = new float[785];
        string path = Write("mismatch.fvecs", Vecs(rows, 4, (span, x) => BinaryPrimitives.WriteSingleLittleEndian(span, x)));

        var error = Assert.Throws<StoreCorruptionException>(() => VectorFileReader.Read(path));

        Assert.Equal(17L * (4 + (784 * 4)), error.Offset);
        Assert.Contains("vector 17 declares dimension 785, the file's first vector has 784", error.Message);
        Assert.Equal(17, VectorFileReader.Read(path, limit: 17).Count);

        // A shorter last vector leaves a partial record: its declared dimension is the error, not the truncation.
        byte[][] bytes = [new byte[8], new byte[8], new byte[3]];
        string shorter = Write("shorter.bvecs", Vecs(bytes, 1, (span, x) => span[0] = x));
        var tail = Assert.Throws<StoreCorruptionException>(() => VectorFileReader.Read(shorter));
        Assert.Equal(24, tail.Offset);
        Assert.Contains("vector 2 declares dimension 3, the file's first vector has 8", tail.Message);

        int[][] ints = [[1, 2], [3, 4, 5], [6, 7]];
        string ivecs = Write("mismatch.ivecs", Vecs(ints, 4, (span, x) => BinaryPrimitives.WriteInt32LittleEndian(span, x)));
        Assert.Contains("vector 1 declares dimension 3, the file's first vector has 2", Assert.Throws<StoreCorruptionException>(() => VectorFileReader.ReadIvecs(ivecs)).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(VectorSpace.MaxDimension + 1)]
    [InlineData(int.MaxValue)]
    public void DimensionsOutOfRangeAreCorrupt(int dimension)
    {
        byte[] file = new byte[64];
        BinaryPrimitives.WriteInt32LittleEndian(file, dimension);
        foreach (string name in new[] { "d.fvecs", "d.bvecs", "d.ivecs" })
        {
            string path = Write(name, file);
            var error = Assert.Throws<StoreCorruptionException>(() => VectorFileReader.Read(path));
            Assert.Equal(0, error.Offset);
            Assert.Contains($"vector 0 declares dimension {dimension}; a dimension is 1 to 16384", error.Message);
        }

        Assert.Throws<StoreCorruptionException>(() => VectorFileReader.ReadIvecs(_temp.Combine("d.ivecs")));
    }

    [Fact]
    public void GzipDataGivenAsVecsSaysToDecompressIt()
    {
        string path = Write("z.fvecs", Gzip(Vecs(new[] { new[] { 1f, 2f } }, 4, (span, x) => BinaryPrimitives.WriteSingleLittleEndian(span, x))));

        Assert.Contains("starts like gzip data (1f 8b): decompress it first", Assert.Throws<StoreCorruptionException>(() => VectorFileReader.Read(path)).Message);
        Assert.Contains("gzip-compressed Fvecs", Assert.Throws<UnsupportedFormatException>(() => VectorFileReader.Read(Write("z.fvecs.gz", []))).Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x12, 0x34, 0x56, 0x78 }, "starts with 0x12345678, not an IDX magic")]
    [InlineData(new byte[] { 0x00, 0x01, 0x08, 0x03 }, "starts with 0x00010803, not an IDX magic")]
    [InlineData(new byte[] { 0x00, 0x00, 0x0D, 0x03 }, "IDX file of element type 0x0D")]
    [InlineData(new byte[] { 0x00, 0x00, 0x09, 0x01 }, "IDX file of element type 0x09")]
    public void UnknownIdxMagicsAreUnsupported(byte[] magic, string message)
    {
        byte[] file = [.. magic, .. new byte[100]];
        foreach (bool gzip in new[] { false, true })
        {
            string path = Write("bad-idx3-ubyte" + (gzip ? ".gz" : ""), Wrap(file, gzip));
            var error = Assert.Throws<UnsupportedFormatException>(() => VectorFileReader.Read(path));
            Assert.Equal(path, error.FilePath);
            Assert.Contains(message, error.Message);
        }
    }

    [Fact]
    public void MalformedIdxHeadersAreCorrupt()
    {
        (byte[] File, long Offset, string Message)[] cases =
        [
            ([], 0, "the file ends inside the IDX magic"),
            ([0, 0, 8], 0, "the file ends inside the IDX magic"),
            ([0, 0, 8, 0, 0, 0, 0, 1], 3, "declares 0 dimensions"),
            ([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28], 4, "the file ends inside the IDX header, which declares 3 sizes"),
            (Idx(0x08, [1, 0, 28], []), 8, "items of 0 x 28 = 0 components"),
            (Idx(0x08, [1, 200, 200], []), 8, "items of 200 x 200 = more than 16384 components"),
            ([0, 0, 8, 1, 0x80, 0, 0, 0], 4, "IDX size 0 is 2147483648"),
        ];

        foreach (var (file, offset, message) in cases)
        {
            foreach (bool gzip in new[] { false, true })
            {
                string path = Write("h.idx", Wrap(file, gzip));
                var error = Assert.Throws<StoreCorruptionException>(() => VectorFileReader.Read(path));
                Assert.Equal(offset, error.Offset);
                Assert.Contains(message, error.Message);
            }
        }
    }

    [Fact]
    public void IdxDataShortOfOrPastTheHeadersCountIsCorrupt()
    {
        var random = new Random(TestMode.Seed(800));
        byte[] whole = Idx(0x08, [50, 4, 4], RandomBytes(random, 50 * 16));
        for (int trial = 0; trial < 30; trial++)
        {
            int cut = random.Next(16, whole.Length);
            int vector = (cut - 16) / 16;
            string message = (cut - 16) % 16 == 0 ? $"the file ends after {vector} of the 50 vectors" : $"the file ends inside vector {vector} (the IDX header declares 50)";
            foreach (bool gzip in new[] { false, true })
            {
                string path = Write("cut.idx", Wrap(whole[..cut], gzip));
                var error = Assert.Throws<StoreCorruptionException>(() => VectorFileReader.Read(path));
                Assert.Equal(16 + (vector * 16), error.Offset);
                Assert.Contains(message, error.Message);
                Assert.Equal(vector, VectorFileReader.Read(path, limit: vector).Count);
            }
        }

        byte[] longer = [.. whole, 1, 2, 3];
        var plain = Assert.Throws<StoreCorruptionException>(() => VectorFileReader.Read(Write("long.idx", longer)));
        Assert.Equal(whole.Length, plain.Offset);
        Assert.Contains("3 bytes follow the last of the 50 vectors the IDX header declares", plain.Message);
        var gzipped = Assert.Throws<StoreCorruptionException>(() => VectorFileReader.Read(Write("long.idx.gz", Gzip(longer))));
        Assert.Equal(whole.Length, gzipped.Offset);
        Assert.Contains("the data goes on past the last of the 50 vectors", gzipped.Message);
        Assert.Equal(49, VectorFileReader.Read(_temp.Combine("long.idx"), limit: 49).Count);
    }

    [Fact]
    public void CorruptOrTruncatedGzipIsCorrupt()
    {
        var random = new Random(TestMode.Seed(900));
        byte[] compressed = Gzip(Idx(0x08, [500, 28, 28], RandomBytes(random, 500 * 784)));
        for (int trial = 0; trial < 10; trial++)
        {
            byte[] damaged = (byte[])compressed.Clone();
            int at = random.Next(40, damaged.Length - 8);
            damaged[at] ^= (byte)random.Next(1, 256);
            string path = Write("damaged-idx3-ubyte.gz", damaged);
            var error = Assert.Throws<StoreCorruptionException>(() => VectorFileReader.Read(path));
            Assert.Equal(path, error.FilePath);
        }

        string truncated = Write("truncated-idx3-ubyte.gz", compressed[..(compressed.Length / 2)]);
        Assert.Throws<StoreCorruptionException>(() => VectorFileReader.Read(truncated));
    }

    [Fact]
    public void GzipIdxWhoseHeaderOverstatesTheCountFailsWithoutAllocatingForIt()
    {
        byte[] images = RandomBytes(new Random(TestMode.Seed(950)), 10 * 784);
        string path = Write("lying-idx3-ubyte.gz", Gzip(Idx(0x08, [2_000_000, 28, 28], images)));
        long before = GC.GetTotalAllocatedBytes(precise: true);

        var error = Assert.Throws<StoreCorruptionException>(() => VectorFileReader.Read(path));

        Assert.InRange(GC.GetTotalAllocatedBytes(precise: true) - before, 0, 100L << 20);
        Assert.Equal(16 + (10 * 784), error.Offset);
        Assert.Contains("the file ends after 10 of the 2000000 vectors the IDX header declares", error.Message);
        Assert.Contains("ends after 10 of the 3000000 vectors", Assert.Throws<StoreCorruptionException>(
            () => VectorFileReader.Read(Write("lying-big-idx3-ubyte.gz", Gzip(Idx(0x08, [3_000_000, 28, 28], images))))).Message);
    }

    [Fact]
    public void MultiMemberGzipIdxReadsWhole()
    {
        const int Count = 7000;
        byte[] file = Idx(0x08, [Count, 28, 28], RandomBytes(new Random(TestMode.Seed(960)), Count * 784));
        int half = file.Length / 2;
        string path = Write("members-idx3-ubyte.gz", [.. Gzip(file[..half]), .. Gzip(file[half..])]);

        VectorMatrix matrix = VectorFileReader.Read(path);

        Assert.Equal((Count, 784), (matrix.Count, matrix.Dimension));
        Assert.Equal(Count * 784, matrix.Data.Length);
        Assert.True(file.AsSpan(16).SequenceEqual(Array.ConvertAll(matrix.Data, f => (byte)f)));
        Assert.Equal(file[(16 + (6999 * 784))..].Select(b => (float)b), matrix.Row(6999).ToArray());
    }

    [Fact]
    public void RawLengthsThatAreNotAWholeNumberOfVectorsAreCorrupt()
    {
        string path = Write("r.raw", new byte[(10 * 3 * 4) + 5]);

        var error = Assert.Throws<StoreCorruptionException>(() => VectorFileReader.Read(path, VectorFileFormat.RawFloat32, rawDimension: 3));

        Assert.Equal(10 * 12, error.Offset);
        Assert.Contains("the file ends inside vector 10: its length 125 is not a multiple of 12 bytes", error.Message);
        Assert.Equal(10, VectorFileReader.Read(path, VectorFileFormat.RawFloat32, limit: 10, rawDimension: 3).Count);
    }

    [Fact]
    public void BadArgumentsAreRefusedBeforeTheFileIsOpened()
    {
        string missing = _temp.Combine("missing.fvecs");

        Assert.Equal("limit", Assert.Throws<ArgumentOutOfRangeException>(() => VectorFileReader.Read(missing, limit: -1)).ParamName);
        Assert.Equal("limit", Assert.Throws<ArgumentOutOfRangeException>(() => VectorFileReader.ReadIvecs(missing, limit: -1)).ParamName);
        foreach (int bad in new[] { 0, -1, VectorSpace.MaxDimension + 1 })
        {
            Assert.Equal("rawDimension", Assert.Throws<ArgumentOutOfRangeException>(() => VectorFileReader.Read(missing, VectorFileFormat.RawFloat32, rawDimension: bad)).ParamName);
        }

        Assert.Equal("rawDimension", Assert.Throws<ArgumentOutOfRangeException>(() => VectorFileReader.Read(missing, rawDimension: 3)).ParamName);
        Assert.Equal("format", Assert.Throws<ArgumentOutOfRangeException>(() => VectorFileReader.Read(missing, (VectorFileFormat)99)).ParamName);
        Assert.Throws<FileNotFoundException>(() => VectorFileReader.Read(missing));
    }

    [Theory]
    [InlineData("sift_base.fvecs", VectorFileFormat.Fvecs)]
    [InlineData("/data/BIGANN.BVECS", VectorFileFormat.Bvecs)]
    [InlineData("gt.ivecs", VectorFileFormat.Ivecs)]
    [InlineData("t10k-images-idx3-ubyte", VectorFileFormat.Idx)]
    [InlineData("t10k-labels-idx1-ubyte.gz", VectorFileFormat.Idx)]
    [InlineData("t10k-images.idx3-ubyte", VectorFileFormat.Idx)]
    [InlineData("data.idx", VectorFileFormat.Idx)]
    [InlineData("data.IDX.GZ", VectorFileFormat.Idx)]
    public void AutoPicksTheFormatFromTheName(string name, VectorFileFormat format) =>
        Assert.Equal(format, VectorFileReader.FormatOf(name));

    [Theory]
    [InlineData("vectors.bin")]
    [InlineData("vectors")]
    [InlineData("vectors.gz")]
    [InlineData("fvecs")]
    [InlineData("base.fvecs.gz")]
    public void AutoRefusesNamesItCannotMap(string name)
    {
        string path = Write(name, new byte[8]);
        var error = Assert.Throws<UnsupportedFormatException>(() => VectorFileReader.Read(path));
        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public void FashionMnistTrainMatchesADirectDecode()
    {
        string images = File.Exists(FashionTrain) ? FashionTrain : WriteSmallMnistLike("small-images-idx3-ubyte.gz", 3, 600, 28, 28);
        string labels = File.Exists(FashionLabels) ? FashionLabels : WriteSmallMnistLike("small-labels-idx1-ubyte.gz", 1, 600);
        int expectedCount = File.Exists(FashionTrain) ? 60_000 : 600;

        VectorMatrix matrix = VectorFileReader.Read(images);
        VectorMatrix labelMatrix = VectorFileReader.Read(labels);

        byte[] raw = Gunzip(File.ReadAllBytes(images));
        Assert.Equal(0x00000803u, BinaryPrimitives.ReadUInt32BigEndian(raw));
        Assert.Equal((expectedCount, 784), (matrix.Count, matrix.Dimension));
        Assert.Equal(expectedCount, BinaryPrimitives.ReadInt32BigEndian(raw.AsSpan(4)));
        foreach (var (image, pixel) in new[] { (0, 0), (0, 400), (1, 300), (12_345 % expectedCount, 500), (expectedCount - 1, 783) })
        {
            Assert.Equal(raw[16 + (image * 784) + pixel], matrix.Row(image)[pixel]);
        }

        Assert.Equal(raw.Length - 16, matrix.Data.Length);
        for (int i = 0; i < matrix.Data.Length; i++)
        {
            if (matrix.Data[i] != raw[16 + i])
            {
                Assert.Fail($"component {i % 784} of image {i / 784} is {matrix.Data[i]}; the file has {raw[16 + i]}");
            }
        }

        Assert.Equal((expectedCount, 1), (labelMatrix.Count, labelMatrix.Dimension));
        Assert.Equal(Gunzip(File.ReadAllBytes(labels)).Skip(8).Select(b => (float)b), labelMatrix.Data);
    }

    [Fact]
    public void MatrixChecksItsShapeAndRowIndices()
    {
        var matrix = new VectorMatrix(3, 2, [1, 2, 3, 4, 5, 6]);

        Assert.Equal([3f, 4f], matrix.Row(1).ToArray());
        Assert.Equal([3f, 4f, 5f, 6f], matrix.Rows(1, 2).ToArray());
        Assert.Equal(0, matrix.Rows(3, 0).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Row(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Row(-1));
        Assert.Equal("start", Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Rows(4, 0)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Rows(2, 2)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Rows(0, -1)).ParamName);
        Assert.Throws<ArgumentException>(() => new VectorMatrix(3, 2, new float[5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorMatrix(1, 0, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorMatrix(1, VectorSpace.MaxDimension + 1, new float[VectorSpace.MaxDimension + 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorMatrix(-1, 2, []));
        Assert.Throws<ArgumentNullException>(() => new VectorMatrix(0, 2, null!));
        Assert.Equal(0, new VectorMatrix(0, 0, []).Count);
    }

    private string Write(string name, byte[] bytes)
    {
        string path = _temp.Combine(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string WriteSmallMnistLike(string name, int dimensions, int count, params int[] sizes)
    {
        byte[] data = RandomBytes(new Random(TestMode.Seed(1000 + dimensions)), count * sizes.Aggregate(1, (a, b) => a * b));
        return Write(name, Gzip(Idx(0x08, [count, .. sizes], data)));
    }

    private static float[][] RandomRows(Random random, int count, int dimension, Func<float> next) =>
        Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, dimension).Select(_ => next()).ToArray()).ToArray();

    private static byte[] RandomBytes(Random random, int count)
    {
        byte[] bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>TEXMEX records: each row's length (int32 LE), then its components of <paramref name="elementBytes"/> each.</summary>
    private static byte[] Vecs<T>(T[][] rows, int elementBytes, SpanWriter<T> write)
    {
        byte[] bytes = new byte[rows.Sum(r => 4 + (r.Length * elementBytes))];
        int at = 0;
        foreach (T[] row in rows)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), row.Length);
            at += 4;
            foreach (T x in row)
            {
                write(bytes.AsSpan(at, elementBytes), x);
                at += elementBytes;
            }
        }

        return bytes;
    }

    /// <summary>An IDX file: magic 00 00 type n, n big-endian sizes, the data.</summary>
    private static byte[] Idx(byte type, int[] shape, byte[] data)
    {
        byte[] bytes = new byte[4 + (4 * shape.Length) + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)shape.Length;
        for (int i = 0; i < shape.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * i)), shape[i]);
        }

        data.CopyTo(bytes, 4 + (4 * shape.Length));
        return bytes;
    }

    private static byte[] Wrap(byte[] bytes, bool gzip) => gzip ? Gzip(bytes) : bytes;

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var zip = new GZipStream(output, CompressionLevel.Fastest))
        {
            zip.Write(bytes);
        }

        return output.ToArray();
    }

    private static byte[] Gunzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var zip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress))
        {
            zip.CopyTo(output);
        }

        return output.ToArray();
    }

    private static void AssertRows(float[][] expected, VectorMatrix matrix)
    {
        Assert.Equal(expected.Length, matrix.Count);
        Assert.Equal(expected.Length * (expected.Length == 0 ? 0 : expected[0].Length), matrix.Data.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Length, matrix.Dimension);
            Assert.Equal(expected[i], matrix.Row(i).ToArray());
        }
    }

    private delegate void SpanWriter<in T>(Span<byte> destination, T value);

    /// <summary>Collects progress synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Reports : IProgress<VectorProgress>
    {
        public List<VectorProgress> Seen { get; } = [];

        public void Report(VectorProgress value) => Seen.Add(value);
    }
}
