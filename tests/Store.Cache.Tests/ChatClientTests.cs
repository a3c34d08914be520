using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Store.Cache.Tests.Support;
using Store.Extensions.AI;

namespace Store.Cache.Tests;

public sealed class ChatClientTests
{
    /// <summary>Answers "answer N to: prompt", counting calls; can be told to call a tool.</summary>
    private sealed class CountingChatClient : IChatClient
    {
        public int Calls;

        public bool CallTool { get; set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            int n = Interlocked.Increment(ref Calls);
            var message = new ChatMessage(ChatRole.Assistant, $"answer {n} to: {messages.Last().Text}");
            if (CallTool)
            {
                message.Contents.Add(new FunctionCallContent("call1", "lookup"));
            }

            return Task.FromResult(new ChatResponse(message) { ModelId = options?.ModelId });
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            ChatResponse response = await GetResponseAsync(messages, options, cancellationToken);
            foreach (ChatResponseUpdate update in response.ToChatResponseUpdates())
            {
                yield return update;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>Embeds a text by the words it contains (hashed into 16 buckets), so paraphrases sharing words land near each other.</summary>
    private sealed class WordEmbedder : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(Embed(v)))));

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }

        private static float[] Embed(string text)
        {
            var v = new float[CacheFixture.Dimension];
            v[0] = 0.01f;
            foreach (string word in text.ToLowerInvariant().Split(' ', ':', '\n', '?', '!').Where(w => w.Length > 0 && w != "user"))
            {
                int bucket = 0;
                foreach (char c in word)
                {
                    bucket = ((bucket * 31) + c) % CacheFixture.Dimension;
                }

                v[bucket] += 1;
            }

            return v;
        }
    }

    private static SemanticCacheOptions Options() => new()
    {
        Dimension = CacheFixture.Dimension,
        DefaultPolicy = new CachePolicy { Threshold = 0.99, MinThreshold = 0.9 },
    };

    [Fact]
    public async Task Answers_repeats_and_paraphrases_from_the_cache()
    {
        using var f = new CacheFixture(Options());
        var inner = new CountingChatClient();
        using var client = new SemanticCachingChatClient(inner, f.Cache, new WordEmbedder());
        var options = new ChatOptions { ModelId = "m1", Temperature = 0 };

        ChatResponse first = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "what is the capital of france")], options);
        ChatResponse again = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "What is the capital of France")], options);
        ChatResponse reordered = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "the capital of france is what")], options);

        Assert.Equal(1, inner.Calls);
        Assert.Equal(first.Text, again.Text);
        Assert.Equal(first.Text, reordered.Text);

        ChatResponse other = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "how tall is mount everest")], options);
        Assert.Equal(2, inner.Calls);
        Assert.NotEqual(first.Text, other.Text);
    }

    [Fact]
    public async Task Model_system_prompt_parameters_and_tenant_partition_the_cache()
    {
        using var f = new CacheFixture(Options());
        var inner = new CountingChatClient();
        using var client = new SemanticCachingChatClient(inner, f.Cache, new WordEmbedder());
        using var otherTenant = new SemanticCachingChatClient(inner, f.Cache, new WordEmbedder(), new SemanticCachingChatClientOptions { Tenant = "globex" });
        ChatMessage question = new(ChatRole.User, "what is the capital of france");

        await client.GetResponseAsync([question], new ChatOptions { ModelId = "m1" });
        await client.GetResponseAsync([question], new ChatOptions { ModelId = "m2" });
        await client.GetResponseAsync([question], new ChatOptions { ModelId = "m1", Temperature = 1 });
        await client.GetResponseAsync([new ChatMessage(ChatRole.System, "answer as a pirate"), question], new ChatOptions { ModelId = "m1" });
        await otherTenant.GetResponseAsync([question], new ChatOptions { ModelId = "m1" });
        Assert.Equal(5, inner.Calls);

        await client.GetResponseAsync([question], new ChatOptions { ModelId = "m1" });
        Assert.Equal(5, inner.Calls);
    }

    [Fact]
    public async Task Streaming_stores_misses_and_replays_hits()
    {
        using var f = new CacheFixture(Options());
        var inner = new CountingChatClient();
        using var client = new SemanticCachingChatClient(inner, f.Cache, new WordEmbedder());
        ChatMessage question = new(ChatRole.User, "name three primes");

        ChatResponse streamed = await client.GetStreamingResponseAsync([question]).ToChatResponseAsync();
        ChatResponse replayed = await client.GetStreamingResponseAsync([question]).ToChatResponseAsync();
        ChatResponse plain = await client.GetResponseAsync([question]);

        Assert.Equal(1, inner.Calls);
        Assert.Equal(streamed.Text, replayed.Text);
        Assert.Equal(streamed.Text, plain.Text);
    }

    [Fact]
    public async Task Tool_calls_are_not_cached_and_categories_route_policies()
    {
        using var f = new CacheFixture(new SemanticCacheOptions
        {
            Dimension = CacheFixture.Dimension,
            DefaultPolicy = new CachePolicy { Threshold = 0.99, MinThreshold = 0.9 },
            Categories = new Dictionary<string, CachePolicy> { ["live"] = new() { Mode = CacheMode.Off } },
        });
        var inner = new CountingChatClient { CallTool = true };
        using var client = new SemanticCachingChatClient(inner, f.Cache, new WordEmbedder());
        ChatMessage question = new(ChatRole.User, "weather in paris");

        await client.GetResponseAsync([question]);
        await client.GetResponseAsync([question]);
        Assert.Equal(2, inner.Calls);

        inner.CallTool = false;
        var live = new ChatOptions { AdditionalProperties = new() { ["cache.category"] = "live" } };
        await client.GetResponseAsync([question], live);
        await client.GetResponseAsync([question], live);
        Assert.Equal(4, inner.Calls);
        Assert.Equal(2, f.Cache.GetMetrics().Categories["live"].Bypassed);
    }
}
