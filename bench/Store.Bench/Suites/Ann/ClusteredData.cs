using System.Diagnostics;
using System.Globalization;

namespace Store.Bench.Suites.Ann;

/// <summary>
/// clustered-1m in the data directory: 1,000,000 base rows and 1,000 queries of
/// <see cref="ClusteredGenerator"/> as .fvecs (hnswlib reads them too) and their exact 100 nearest
/// neighbours as .ivecs, computed here by brute force. File names carry the generator version and the
/// seed; existing files of the right size are reused, so the ground truth is computed once per seed.
/// </summary>
internal static class ClusteredData
{
    public const int BaseCount = 1_000_000;
    public const int TruthDepth = 100;

    public static AnnDataset Load(string directory, ulong seed, int queries, Action<string> log)
    {
        Directory.CreateDirectory(directory);
        string prefix = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"c1m-v{ClusteredGenerator.Version}-seed{seed}"));
        string baseFile = prefix + "-base.fvecs";
        string queryFile = prefix + "-query.fvecs";
        string truthFile = prefix + $"-groundtruth{TruthDepth}.ivecs";
        const int Dimension = ClusteredGenerator.Dimension;
        const int QueryTotal = AnnSettings.ClusteredQueries;
        var clock = Stopwatch.StartNew();

        float[] vectors;
        float[] queryValues;
        if (Fits(baseFile, BaseCount, Dimension) && Fits(queryFile, QueryTotal, Dimension))
        {
            vectors = VecsFile.ReadFloats(baseFile).Values;
            queryValues = VecsFile.ReadFloats(queryFile).Values;
            log($"# {AnnSettings.Clustered1M}: read cached {baseFile} and {queryFile} ({clock.Elapsed.TotalSeconds:0.0} s)");
        }
        else
        {
            var generator = new ClusteredGenerator(seed);
            vectors = generator.Base(BaseCount);
            queryValues = generator.Queries(QueryTotal);
            VecsFile.WriteFloats(baseFile, vectors, Dimension);
            VecsFile.WriteFloats(queryFile, queryValues, Dimension);
            log($"# {AnnSettings.Clustered1M}: generated (seed {seed}) and wrote {baseFile}, {queryFile} in {clock.Elapsed.TotalSeconds:0.0} s");
        }

        if (!Fits(truthFile, QueryTotal, TruthDepth, sizeof(int)))
        {
            clock.Restart();
            var ids = BruteForceKnn.Compute(vectors, queryValues, Dimension, TruthDepth, m => log($"#   {m}"));
            VecsFile.WriteInts(truthFile, ids, TruthDepth);
            log(string.Create(CultureInfo.InvariantCulture,
                $"# {AnnSettings.Clustered1M}: exact ground truth ({QueryTotal} queries x {TruthDepth}, brute force on {Environment.ProcessorCount} cores, Vector256) " +
                $"computed in {clock.Elapsed.TotalSeconds:0.0} s -> {truthFile}"));
        }
        else
        {
            log($"# {AnnSettings.Clustered1M}: ground truth cached in {truthFile}");
        }

        var truth = GroundTruth.Read(truthFile, queries);
        var queryRows = new float[queries][];
        for (int q = 0; q < queries; q++)
        {
            queryRows[q] = queryValues.AsSpan(q * Dimension, Dimension).ToArray();
        }

        return new AnnDataset(AnnSettings.Clustered1M, Dimension, vectors, queryRows, truth, integerValued: false, baseFile, queryFile, truthFile);
    }

    private static bool Fits(string path, int rows, int dimension, int elementBytes = sizeof(float)) =>
        File.Exists(path) && VecsFile.RowsOf(path, dimension, elementBytes) == rows;
}
