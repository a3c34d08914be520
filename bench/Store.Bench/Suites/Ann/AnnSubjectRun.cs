using System.Globalization;
using Store.Bench.Reporting;

namespace Store.Bench.Suites.Ann;

/// <summary>
/// Runs one in-process subject: build into a fresh directory (timed) and close; bytes on disk; then,
/// memory handed back to the OS, VmRSS; open; an untimed warm-up pass of every query at the first
/// setting; per setting a 1-thread pass (recall, QPS, p50/p99) and a 2-thread pass (QPS; its ids must
/// match the 1-thread pass for a deterministic subject); freed memory handed back again; VmRSS again.
/// RSS growth = the second reading minus the first: what the subject holds live, opened and warm after
/// answering every query.
/// </summary>
internal sealed class AnnSubjectRun(ResultLog log, AnnReport report, AnnResultBook book, TextWriter console)
{
    public const int K = 10;

    /// <summary>
    /// Prints the peers' points, runs every subject (a failing one is reported and the others go on),
    /// then the per-system table; returns how many subjects failed.
    /// </summary>
    public int RunAll(IReadOnlyList<IAnnSubject> subjects, AnnDataset data, string workDirectory)
    {
        report.PointsHeader();
        foreach (var point in book.Points)
        {
            report.Write(point);
        }

        int failures = 0;
        foreach (var subject in subjects)
        {
            try
            {
                Run(subject, data, workDirectory);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures++;
                log.Line($"# {subject.Name} failed: {e.GetType().Name}: {e.Message}");
            }
        }

        report.WriteSystems(book.Systems);
        return failures;
    }

    public void Run(IAnnSubject subject, AnnDataset data, string workDirectory)
    {
        string directory = Path.Combine(workDirectory, $"subject-{string.Concat(subject.Name.Where(char.IsLetterOrDigit)).ToLowerInvariant()}-{Environment.ProcessId}");
        DeleteDirectory(directory);
        try
        {
            log.Line($"# {subject.Describe()}");
            var build = subject.Build(data, directory, message => console.WriteLine($"  {subject.Name}: {message}"));
            long disk = AnnDisk.Bytes(directory);
            console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {subject.Name}: vectors added in {build.Load.TotalSeconds:0.00} s, index built in {build.Index.TotalSeconds:0.00} s, {disk / 1e6:0.0} MB on disk"));

            // The harness's own result buffers exist before the baseline, so they are not counted as the subject's.
            var ids = new long[data.Queries.Count * K];
            var idsTwo = new long[data.Queries.Count * K];
            ProcessMemory.ReleaseFreed();
            long? before = ProcessMemory.ResidentBytes();
            var partsBefore = ProcessMemory.ResidentParts();
            subject.Open(directory);
            long? opened = ProcessMemory.ResidentBytes();
            console.WriteLine($"  {subject.Name}: opened; RSS +{Megabytes(opened - before)} MB");

            AnnQueryRunner.Run(subject, subject.Sweep[0], data.Queries, K, 1, ids);
            foreach (var setting in subject.Sweep)
            {
                var one = AnnQueryRunner.Run(subject, setting, data.Queries, K, 1, ids);
                var two = AnnQueryRunner.Run(subject, setting, data.Queries, K, 2, idsTwo);
                var recall = Recall.Compute(ids, K, data);
                string note = ids.AsSpan().SequenceEqual(idsTwo) ? "" : "2T ids differ from 1T";
                var point = new AnnPoint(
                    subject.Name,
                    setting.Label,
                    recall.Strict,
                    recall.WithTies,
                    one.Operations / one.Seconds,
                    two.Operations / two.Seconds,
                    one.P50Microseconds,
                    one.P99Microseconds,
                    note);
                book.Add(point);
                report.Write(point);
            }

            // The end reading is taken the way the baseline was: freed memory handed back first, so
            // the growth is what the opened subject holds live. What the runtime and libc kept after a
            // plain full GC (free heap regions, malloc arenas of the query threads) is shown beside it.
            ProcessMemory.CollectGarbage();
            long? retained = ProcessMemory.ResidentBytes();
            ProcessMemory.ReleaseFreed();
            long? after = ProcessMemory.ResidentBytes();
            var partsAfter = ProcessMemory.ResidentParts();
            book.Add(new AnnSystemFigures(
                subject.Name,
                build.Build.TotalSeconds,
                build.LoadBuildsIndex
                    ? string.Create(CultureInfo.InvariantCulture, $"adding the vectors (links the index) {build.Load.TotalSeconds:0.00} s + BuildIndex {build.Index.TotalSeconds:0.00} s, in this process")
                    : string.Create(CultureInfo.InvariantCulture, $"index build, in this process (adding the vectors before it: {build.Load.TotalSeconds:0.00} s, not counted)"),
                after - before,
                $"VmRSS after the queries minus VmRSS before opening, both taken after freed memory is handed back (compacting GC, malloc_trim): " +
                    $"{Megabytes(partsAfter.Anonymous - partsBefore.Anonymous)} MB anonymous + {Megabytes(partsAfter.FileBacked - partsBefore.FileBacked)} MB file-backed (mapped files); " +
                    $"+{Megabytes(opened - before)} MB right after opening; +{Megabytes(retained - before)} MB after the queries and a plain full GC (free memory the runtime and libc keep included)" +
                    (subject.MemoryNote() is { } own ? "; " + own : ""),
                disk,
                "all files of its directory after close"));
        }
        finally
        {
            subject.Dispose();
            DeleteDirectory(directory);
        }
    }

    private static string Megabytes(long? bytes) => bytes is { } b ? (b / 1e6).ToString("0.0", CultureInfo.InvariantCulture) : "n/a";

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
