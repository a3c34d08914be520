using System.Text;
using Store.Cache.Tests.Support;

namespace Store.Cache.Tests;

public sealed class IsolationTests
{
    [Theory]
    [InlineData(11, 20)]
    [InlineData(12, 200)] // past GraphThreshold: each partition and category searches its own HNSW
    public void Identical_prompts_and_vectors_never_hit_across_partitions(int seed, int perPartition)
    {
        using var f = new CacheFixture(new SemanticCacheOptions { Dimension = CacheFixture.Dimension, GraphThreshold = 64 }, seed);
        var random = new Random(seed);
        string[] tenants = ["acme", "globex", "initech"];
        string[] models = ["small", "large"];
        var partitions = new List<CachePartition>();
        foreach (string tenant in tenants)
        {
            foreach (string model in models)
            {
                partitions.Add(new CachePartition(tenant, model));
                partitions.Add(new CachePartition(tenant, model) { SystemPrompt = "pirate" });
                partitions.Add(new CachePartition(tenant, model) { Revision = 1 });
            }
        }

        // Every partition stores the same prompts with the same vectors; only some partitions store a given one.
        float[][] vectors = [.. Enumerable.Range(0, perPartition).Select(_ => f.Vectors.Next())];
        var stored = new HashSet<(int Partition, int Prompt)>();
        for (int p = 0; p < partitions.Count; p++)
        {
            for (int i = 0; i < perPartition; i++)
            {
                if (random.Next(3) != 0)
                {
                    f.Store("c", $"prompt {i}", vectors[i], $"{p}/{i}", partition: partitions[p]);
                    stored.Add((p, i));
                }
            }
        }

        for (int q = 0; q < 2000; q++)
        {
            int p = random.Next(partitions.Count);
            int i = random.Next(perPartition);
            bool exact = random.Next(2) == 0;
            float[] vector = exact ? vectors[i] : f.Vectors.At(vectors[i], 0.99);
            CacheLookupResult result = f.Lookup("c", exact ? $"prompt {i}" : $"paraphrase {i}", vector, partition: partitions[p]);
            if (result.IsHit)
            {
                string answer = Encoding.UTF8.GetString(result.Response.Span);
                Assert.StartsWith($"{p}/", answer, StringComparison.Ordinal);
            }
            else
            {
                Assert.DoesNotContain((p, i), exact ? stored : []);
            }
        }
    }

    [Fact]
    public void Partition_keys_cover_every_part()
    {
        var baseline = new CachePartition("t", "m") { SystemPrompt = "s", Tools = "t", ResponseFormat = "r", Parameters = "p" };
        CachePartition[] variants =
        [
            new("t2", "m") { SystemPrompt = "s", Tools = "t", ResponseFormat = "r", Parameters = "p" },
            new("t", "m2") { SystemPrompt = "s", Tools = "t", ResponseFormat = "r", Parameters = "p" },
            baseline with { SystemPrompt = null },
            baseline with { Tools = "u" },
            baseline with { ResponseFormat = "json" },
            baseline with { Parameters = "temperature=0" },
            baseline with { Revision = 2 },
            new("t", "m") { SystemPrompt = "st", Tools = "", ResponseFormat = "r", Parameters = "p" },
        ];

        Assert.Equal(64, baseline.Key.Length);
        Assert.Equal(baseline.Key, new CachePartition("t", "m") { SystemPrompt = "s", Tools = "t", ResponseFormat = "r", Parameters = "p" }.Key);
        Assert.Equal(variants.Length + 1, variants.Select(v => v.Key).Append(baseline.Key).Distinct().Count());
    }
}
