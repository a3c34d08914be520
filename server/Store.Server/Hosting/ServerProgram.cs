using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Store.Server;

/// <summary>The store-server program: reads configuration, runs a <see cref="StoreServerHost"/> until Ctrl+C or SIGTERM.</summary>
internal static class ServerProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine("store-server [--data DIR] [--port N] [--admin-port N|off] [--bind ADDRESS] [--config FILE.json] [--token TOKEN=TENANT]...");
            Console.WriteLine("             [--max-frame-bytes N] [--max-in-flight N] [--max-connections N] [--idle-timeout SECONDS] [--shutdown-timeout SECONDS]");
            Console.WriteLine("             [--cert FILE.pfx] [--cert-password P] [--durability None|Batched|Always] [--log-level LEVEL]");
            Console.WriteLine("Every setting may also come from STORE_<NAME> environment variables or the JSON file; see docs/server.md.");
            return 0;
        }

        StoreServerOptions options;
        ILoggerFactory loggerFactory;
        try
        {
            IConfiguration configuration = ServerConfiguration.Build(args);
            LogLevel level = ServerConfiguration.LogLevelOf(configuration);
            loggerFactory = LoggerFactory.Create(logging => logging
                .AddSimpleConsole(console => console.SingleLine = true)
                .SetMinimumLevel(level)
                .AddFilter("Microsoft", level > LogLevel.Warning ? level : LogLevel.Warning));
            options = ServerConfiguration.ToOptions(configuration, loggerFactory);
            options.Validate();
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidDataException or IOException)
        {
            await Console.Error.WriteLineAsync($"store-server: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        using (loggerFactory)
        {
            using var stop = new CancellationTokenSource();
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Signal);
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Signal);
            StoreServerHost host;
            try
            {
                host = await StoreServerHost.StartAsync(options, stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is StoreException or IOException or OperationCanceledException)
            {
                await Console.Error.WriteLineAsync($"store-server: {e.Message}").ConfigureAwait(false);
                return 1;
            }

            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: stop gracefully below.
            }

            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return 0;

            void Signal(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }
        }
    }
}
