using Microsoft.Extensions.Hosting;

namespace Store.Server;

/// <summary>
/// The web host's lifetime when it lives inside a <see cref="StoreServerHost"/>: the owner starts and
/// stops it, so the host neither waits for nor reacts to Ctrl+C and SIGTERM itself (the store-server
/// program handles those; an in-process host in a test must not).
/// </summary>
internal sealed class HostedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
