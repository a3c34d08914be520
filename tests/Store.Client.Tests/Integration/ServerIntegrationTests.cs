using System.Text;
using Store.Client.Protocol;

namespace Store.Client.Tests.Integration;

/// <summary>The client against a real server: pipelining under concurrency, restarts, authentication.</summary>
public sealed class ServerIntegrationTests
{
    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Many_pipelined_callers_get_their_own_replies()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using StoreClient client = await server.ConnectAsync();
        IKeyspaceStore keyspace = client.Default;
        await Task.WhenAll(Enumerable.Range(0, 50).Select(async caller =>
        {
            for (int round = 0; round < 10; round++)
            {
                // 16 requests in flight per caller, awaited together.
                var writes = Enumerable.Range(0, 16).Select(i => keyspace.SetAsync(B($"{caller}:{round}:{i}"), B($"value {caller}/{round}/{i}")).AsTask()).ToArray();
                await Task.WhenAll(writes);
                var reads = Enumerable.Range(0, 16).Select(i => keyspace.GetAsync(B($"{caller}:{round}:{i}")).AsTask()).ToArray();
                for (int i = 0; i < 16; i++)
                {
                    StoredValue? value = await reads[i];
                    Assert.Equal($"value {caller}/{round}/{i}", Encoding.UTF8.GetString(value!.Value.Value));
                    Assert.Equal((await writes[i]).Version, value.Value.Version);
                }
            }
        }));
        Assert.Equal(50 * 10 * 16, await keyspace.CountAsync());
    }

    [Fact]
    public async Task A_pool_of_connections_shares_keyspaces()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using StoreClient client = await server.ConnectAsync(poolSize: 3);
        IKeyspaceStore keyspace = await client.GetKeyspaceAsync("pooled", create: true);
        for (int i = 0; i < 30; i++)
        {
            await keyspace.SetAsync(B($"k{i}"), B("v"));
        }

        Assert.Equal(30, await keyspace.CountAsync());
    }

    [Fact]
    public async Task The_client_reconnects_after_a_server_restart_on_the_same_directory()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using StoreClient client = await server.ConnectAsync();
        IKeyspaceStore users = await client.GetKeyspaceAsync("users", create: true);
        await users.SetAsync(B("alice"), B("1"));
        await server.RestartAsync();
        await ClientReconnectTests.WaitUntilAsync(async () => await ClientReconnectTests.Succeeds(() => users.CountAsync().AsTask()));
        StoredValue? alice = await users.GetAsync(B("alice"));
        Assert.Equal("1", Encoding.UTF8.GetString(alice!.Value.Value));
        await users.SetAsync(B("bob"), B("2"));
        Assert.Equal(2, await users.CountAsync());
    }

    [Fact]
    public async Task A_known_token_is_accepted_and_an_unknown_one_refused()
    {
        await using TestServer server = await TestServer.StartAsync(new Dictionary<string, string> { ["token-a"] = "tenant-a" });
        await using (StoreClient client = await server.ConnectAsync("token-a"))
        {
            IKeyspaceStore keyspace = await client.GetKeyspaceAsync("orders", create: true);
            await keyspace.SetAsync(B("k"), B("v"));
            Assert.NotNull(await keyspace.GetAsync(B("k")));
        }

        var wrong = await Assert.ThrowsAsync<StoreServerException>(() => server.ConnectAsync("token-b"));
        Assert.Equal(StatusCode.Unauthorized, wrong.Status);
        var none = await Assert.ThrowsAsync<StoreServerException>(() => server.ConnectAsync());
        Assert.Equal(StatusCode.Unauthorized, none.Status);
    }

    [Fact]
    public async Task Scans_larger_than_one_frame_stream_completely()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using StoreClient client = await server.ConnectAsync();
        IKeyspaceStore keyspace = client.Default;
        byte[] value = new byte[1000];
        for (int batch = 0; batch < 10; batch++)
        {
            await keyspace.MultiSetAsync([.. Enumerable.Range(batch * 500, 500).Select(i => new KeyValuePair<byte[], byte[]>(B($"big:{i:D5}"), value))]);
        }

        int count = 0;
        string? previous = null;
        await foreach (var entry in keyspace.ScanPrefixAsync(B("big:")))
        {
            string key = Encoding.UTF8.GetString(entry.Key);
            Assert.True(previous is null || string.CompareOrdinal(previous, key) < 0);
            previous = key;
            count++;
        }

        Assert.Equal(5000, count);
    }
}
