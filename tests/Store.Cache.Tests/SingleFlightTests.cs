using System.Text;
using Store.Cache.Tests.Support;

namespace Store.Cache.Tests;

public sealed class SingleFlightTests
{
    [Fact]
    public async Task Concurrent_misses_for_one_prompt_share_one_factory_call()
    {
        using var f = new CacheFixture();
        float[] v = f.Vectors.Next();
        const int callers = 16;
        int entered = 0;
        int calls = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async ValueTask<CacheValue> Factory(CancellationToken token)
        {
            Interlocked.Increment(ref calls);
            await gate.Task.WaitAsync(token);
            return new CacheValue(Encoding.UTF8.GetBytes("answer"));
        }

        Task<CacheFetchResult>[] tasks = [.. Enumerable.Range(0, callers).Select(i => Task.Run(async () =>
        {
            var query = new CacheQuery(CacheFixture.Partition(), "c", i % 2 == 0 ? "same  prompt" : " same prompt", v);
            if (Interlocked.Increment(ref entered) == callers)
            {
                gate.SetResult();
            }

            return await f.Cache.GetOrCreateAsync(query, Factory);
        }))];
        CacheFetchResult[] results = await Task.WhenAll(tasks);

        Assert.Equal(1, calls);
        Assert.All(results, r => Assert.Equal("answer", Encoding.UTF8.GetString(r.Response.Span)));
        Assert.Single(results, r => r.Source == CacheFetchSource.Factory);
        Assert.Equal(1, f.Cache.Count);
        CacheFetchResult later = await f.Cache.GetOrCreateAsync(new CacheQuery(CacheFixture.Partition(), "c", "same prompt", v), Factory);
        Assert.Equal(CacheFetchSource.Cache, later.Source);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_failing_factory_reaches_every_waiter_and_stores_nothing()
    {
        using var f = new CacheFixture();
        float[] v = f.Vectors.Next();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int calls = 0;

        async ValueTask<CacheValue> Factory(CancellationToken token)
        {
            Interlocked.Increment(ref calls);
            await gate.Task;
            throw new InvalidOperationException("model down");
        }

        var query = new CacheQuery(CacheFixture.Partition(), "c", "p", v);
        Task<CacheFetchResult> first = f.Cache.GetOrCreateAsync(query, Factory).AsTask();
        Task<CacheFetchResult> second = f.Cache.GetOrCreateAsync(query, Factory).AsTask();
        gate.SetResult();

        await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        await Assert.ThrowsAsync<InvalidOperationException>(() => second);
        Assert.Equal(1, calls);
        Assert.Equal(0, f.Cache.Count);
    }

    [Fact]
    public async Task Values_marked_not_to_store_are_returned_but_not_cached()
    {
        using var f = new CacheFixture();
        float[] v = f.Vectors.Next();
        var query = new CacheQuery(CacheFixture.Partition(), "c", "p", v);
        CacheFetchResult result = await f.Cache.GetOrCreateAsync(query, _ => ValueTask.FromResult(new CacheValue(new byte[] { 1 }) { Store = false }));

        Assert.Equal(CacheFetchSource.Factory, result.Source);
        Assert.Equal(0, f.Cache.Count);
    }
}
