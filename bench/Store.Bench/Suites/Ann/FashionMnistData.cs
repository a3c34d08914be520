using System.Diagnostics;
using System.Globalization;
using Store.Bench.Peers.Ann;

namespace Store.Bench.Suites.Ann;

/// <summary>
/// fashion-mnist in the data directory, as every system reads it: the shared fmnist_fvecs.py writes
/// base/query as .fvecs (float32, for hnswlib and this suite) and .bvecs (uint8, for SPTAG) from
/// Debian's dataset-fashion-mnist and links the shared ground truth (FAISS IndexFlatL2, 100 per query).
/// </summary>
internal static class FashionMnistData
{
    public const int Dimension = 784;
    public const int BaseCount = 60_000;
    public const int QueryCount = 10_000;

    private static readonly string[] Files = ["base.fvecs", "query.fvecs", "base.bvecs", "query.bvecs", "groundtruth.ivecs"];

    /// <summary>Writes the files if any is missing, then loads the base, the first <paramref name="queries"/> queries and their ground truth.</summary>
    public static AnnDataset Load(AnnPeerPaths paths, string directory, int queries, Action<string> log)
    {
        Directory.CreateDirectory(directory);
        if (Files.Any(f => !File.Exists(Path.Combine(directory, f))))
        {
            string script = paths.SharedScript("fmnist_fvecs.py");
            log($"# fashion-mnist: writing {string.Join(", ", Files)} into {directory} with {script}");
            int code = PeerProcess.Run(paths.Python, [script, directory], line => log($"#   fmnist_fvecs.py: {line}"));
            var missing = Files.Where(f => !File.Exists(Path.Combine(directory, f))).ToList();
            if (code != 0 || missing.Count > 0)
            {
                throw new InvalidOperationException($"fmnist_fvecs.py exited {code}; missing: {string.Join(", ", missing)}");
            }
        }

        var clock = Stopwatch.StartNew();
        string baseFile = Path.Combine(directory, "base.fvecs");
        string queryFile = Path.Combine(directory, "query.fvecs");
        string truthFile = Path.Combine(directory, "groundtruth.ivecs");
        var (vectors, rows, dimension) = VecsFile.ReadFloats(baseFile);
        var (queryValues, queryRows, queryDimension) = VecsFile.ReadFloats(queryFile, queries);
        if (rows != BaseCount || dimension != Dimension || queryRows != queries || queryDimension != Dimension)
        {
            throw new InvalidDataException($"fashion-mnist files hold {rows}x{dimension} base and {queryRows}x{queryDimension} queries; expected {BaseCount}x{Dimension} and {queries}x{Dimension}");
        }

        var truth = GroundTruth.Read(truthFile, queries);
        bool integers = vectors.All(v => v == MathF.Round(v) && v is >= 0 and <= 255);
        var queryRowsArray = new float[queries][];
        for (int q = 0; q < queries; q++)
        {
            queryRowsArray[q] = queryValues.AsSpan(q * Dimension, Dimension).ToArray();
        }

        log(string.Create(CultureInfo.InvariantCulture,
            $"# fashion-mnist: {rows} base x {dimension}, {queries} of {QueryCount} queries, ground truth depth {truth.Depth} ({Path.GetFullPath(truthFile)}), " +
            $"{(integers ? "integer pixels 0..255 (uint8 is lossless)" : "NOT integer-valued")}; loaded in {clock.Elapsed.TotalSeconds:0.0} s"));
        return new AnnDataset("fashion-mnist", Dimension, vectors, queryRowsArray, truth, integers, baseFile, queryFile, truthFile);
    }
}
