using System.Text;
using Store.Kv;

namespace Store.Cache.Tests.Support;

/// <summary>A database in a temporary folder on a manual clock, and a cache in it; deleted on dispose.</summary>
internal sealed class CacheFixture : IDisposable
{
    public const int Dimension = 16;

    public CacheFixture(SemanticCacheOptions? options = null, int seed = 7)
    {
        Directory = Path.Combine(Path.GetTempPath(), "store-cache-tests", Guid.NewGuid().ToString("N"));
        Options = options ?? new SemanticCacheOptions { Dimension = Dimension };
        Vectors = new TestVectors(Options.Dimension, seed);
        Database = OpenDatabase();
        Cache = Database.OpenSemanticCache("answers", Options);
    }

    public string Directory { get; }

    public ManualClock Clock { get; } = new();

    public SemanticCacheOptions Options { get; }

    public TestVectors Vectors { get; }

    public Database Database { get; private set; }

    public SemanticCache Cache { get; private set; }

    public static CachePartition Partition(string tenant = "acme", string model = "gpt-x") => new(tenant, model) { SystemPrompt = "be brief" };

    public CacheStoreResult Store(string category, string prompt, float[] vector, string response, TimeSpan? ttl = null, CachePartition? partition = null) =>
        Cache.Store(new CacheWrite(partition ?? Partition(), category, prompt, vector, Encoding.UTF8.GetBytes(response)) { Ttl = ttl });

    public CacheLookupResult Lookup(string category, string prompt, float[] vector, double? minSimilarity = null, CachePartition? partition = null) =>
        Cache.Lookup(new CacheQuery(partition ?? Partition(), category, prompt, vector) { MinSimilarity = minSimilarity });

    /// <summary>Closes cache and database and opens both again (the in-memory index is rebuilt).</summary>
    public void Reopen(SemanticCacheOptions? options = null)
    {
        Cache.Dispose();
        Database.Dispose();
        Database = OpenDatabase();
        Cache = Database.OpenSemanticCache("answers", options ?? Options);
    }

    public void Dispose()
    {
        Cache.Dispose();
        Database.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: the OS temp cleaner gets the rest
        }
    }

    private Database OpenDatabase() => Database.Open(Directory, new DatabaseOptions
    {
        TimeProvider = Clock,
        SegmentSize = 1 << 20,
        CheckpointInterval = TimeSpan.Zero,
        ActiveExpiryInterval = TimeSpan.Zero,
        Durability = Durability.None,
    });
}
