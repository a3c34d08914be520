using System.Globalization;
using System.Text;
using Store.Cache;

namespace Store.Server;

/// <summary>
/// The served semantic caches' counters in Prometheus text (appended to /metrics; docs/server.md lists
/// them). Cache and category names are letters, digits, '_', '-' and '.', so labels need no escaping.
/// The histograms are in the sidecar's JSON metrics (they carry no sum, which Prometheus histograms need).
/// </summary>
internal static class CacheMetricsText
{
    private static readonly (CacheLookupStatus Status, string Label)[] Outcomes =
    [
        (CacheLookupStatus.ExactHit, "exact_hit"), (CacheLookupStatus.SemanticHit, "semantic_hit"), (CacheLookupStatus.Miss, "miss"),
        (CacheLookupStatus.StaleMiss, "stale_miss"), (CacheLookupStatus.Bypassed, "bypassed"),
    ];

    public static void Write(StringBuilder text, IEnumerable<SemanticCache> caches)
    {
        List<(string Cache, CacheMetricsSnapshot Metrics)> snapshots = [.. caches.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => (c.Name, c.GetMetrics()))];
        if (snapshots.Count == 0)
        {
            return;
        }

        Header(text, "store_cache_lookups_total", "counter", "Semantic cache lookups, by outcome.");
        Each(snapshots, (cache, category, m) =>
        {
            foreach ((CacheLookupStatus status, string label) in Outcomes)
            {
                Line(text, "store_cache_lookups_total", cache, category, $",status=\"{label}\"", Count(m, status));
            }
        });
        Header(text, "store_cache_stores_total", "counter", "Semantic cache entries stored.");
        Each(snapshots, (cache, category, m) => Line(text, "store_cache_stores_total", cache, category, string.Empty, m.Stores));
        Header(text, "store_cache_removals_total", "counter", "Semantic cache entries removed, by reason.");
        Each(snapshots, (cache, category, m) =>
        {
            foreach ((CacheRemovalReason reason, long n) in m.Removals.OrderBy(r => r.Key))
            {
                Line(text, "store_cache_removals_total", cache, category, $",reason=\"{reason}\"", n);
            }
        });
        Header(text, "store_cache_entries", "gauge", "Semantic cache entries held.");
        Each(snapshots, (cache, category, m) => Line(text, "store_cache_entries", cache, category, string.Empty, m.Entries));
        Header(text, "store_cache_bytes", "gauge", "Semantic cache bytes held (prompt, vector, response, metadata).");
        Each(snapshots, (cache, category, m) => Line(text, "store_cache_bytes", cache, category, string.Empty, m.Bytes));
        Header(text, "store_cache_threshold", "gauge", "A category's similarity threshold (before load relaxation).");
        Each(snapshots, (cache, category, m) => Line(text, "store_cache_threshold", cache, category, string.Empty, m.Policy.Threshold));
        Header(text, "store_cache_load", "gauge", "The downstream load last reported.");
        foreach ((string cache, CacheMetricsSnapshot m) in snapshots)
        {
            text.Append(CultureInfo.InvariantCulture, $"store_cache_load{{cache=\"{cache}\"}} {m.Load.Load.ToString("R", CultureInfo.InvariantCulture)}\n");
        }

        Header(text, "store_cache_load_relaxed", "gauge", "1 while the adaptive load policy relaxes thresholds and extends TTLs.");
        foreach ((string cache, CacheMetricsSnapshot m) in snapshots)
        {
            text.Append(CultureInfo.InvariantCulture, $"store_cache_load_relaxed{{cache=\"{cache}\"}} {(m.Load.Relaxed ? 1 : 0)}\n");
        }
    }

    private static long Count(CategoryMetricsSnapshot m, CacheLookupStatus status) => status switch
    {
        CacheLookupStatus.ExactHit => m.ExactHits,
        CacheLookupStatus.SemanticHit => m.SemanticHits,
        CacheLookupStatus.Miss => m.Misses,
        CacheLookupStatus.StaleMiss => m.StaleMisses,
        _ => m.Bypassed,
    };

    private static void Each(List<(string Cache, CacheMetricsSnapshot Metrics)> snapshots, Action<string, string, CategoryMetricsSnapshot> write)
    {
        foreach ((string cache, CacheMetricsSnapshot metrics) in snapshots)
        {
            foreach ((string category, CategoryMetricsSnapshot m) in metrics.Categories)
            {
                write(cache, category, m);
            }
        }
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");

    private static void Line(StringBuilder text, string name, string cache, string category, string labels, double value) =>
        text.Append(CultureInfo.InvariantCulture, $"{name}{{cache=\"{cache}\",category=\"{category}\"{labels}}} {value.ToString("R", CultureInfo.InvariantCulture)}\n");
}
