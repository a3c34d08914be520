using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Store.Server;

public sealed partial class StoreServerHost
{
    /// <summary>Builds and starts the Kestrel host: the binary listener (optionally TLS) and the admin listener.</summary>
    private static async Task<(WebApplication App, IPEndPoint Endpoint, IPEndPoint? Admin)> StartWebAsync(
        ServerContext server, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        StoreServerOptions options = server.Options;
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(server);
        builder.Services.AddSingleton<IHostLifetime, HostedLifetime>();
        builder.Services.AddRoutingCore();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);

        // A frame must fit in the input pipe whole (the reader waits for all of it); a little more than the
        // largest frame bounds what one connection buffers.
        long inputLimit = options.MaxFrameBytes + (long)Client.Protocol.FrameHeader.Size + (64 * 1024);
        builder.WebHost.UseKestrelCore().UseSockets(sockets =>
        {
            sockets.MaxReadBufferSize = inputLimit;

            // Requests run inline on the read loop and never block (except on fsync under Durability.Always):
            // running the loop on the socket's I/O thread saves a thread-pool hop per read and per flush.
            sockets.UnsafePreferInlineScheduling = options.DatabaseOptions.Durability != Kv.Durability.Always;
        });

        // The transport's memory pool, whose block is the most one receive takes. Registered after
        // UseSockets: the transport resolves the last registration, and UseSockets adds its own.
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>>(server.ConnectionPools);
        X509Certificate2? certificate = options.CertificatePath is { } path
            ? X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword)
            : null;
        if (certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        ListenOptions? binary = null;
        ListenOptions? admin = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = null;
            kestrel.Limits.MaxRequestBufferSize = inputLimit;
            kestrel.Listen(options.BindAddress, options.Port, listen =>
            {
                binary = listen;
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }

                listen.UseConnectionHandler<StoreConnectionHandler>();
            });
            if (options.AdminEnabled)
            {
                kestrel.Listen(options.BindAddress, options.AdminPort!.Value, listen =>
                {
                    admin = listen;
                    listen.Protocols = HttpProtocols.Http1;
                });
            }
        });

        WebApplication app = builder.Build();
        AdminEndpoints.Map(app, server, DateTimeOffset.UtcNow);
        Sidecar.SidecarEndpoints.Map(app, server);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return (app, binary!.IPEndPoint!, admin?.IPEndPoint);
    }
}
