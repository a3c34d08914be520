using Store.Client.Tests.Contract;

namespace Store.Client.Tests.Integration;

/// <summary>The contract against a real server through <see cref="StoreClient"/>.</summary>
public sealed class RemoteStoreContractTests : KeyValueStoreContract
{
    private TestServer? _server;

    protected override async Task<IKeyValueStore> OpenStoreAsync()
    {
        _server = await TestServer.StartAsync();
        return await _server.ConnectAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
