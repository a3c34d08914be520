using System.Text.Json;
using Store.Client.Protocol;

namespace Store.Server.Tests;

/// <summary>/health and /metrics on the admin port.</summary>
public sealed class AdminTests
{
    [Fact]
    public async Task Health_is_ok_then_503_while_stopping()
    {
        await using TestServer server = await TestServer.StartAsync();
        (int status, string body) = await server.GetAdminAsync("/health");
        Assert.Equal(200, status);
        using (JsonDocument json = JsonDocument.Parse(body))
        {
            Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
            Assert.Equal(0, json.RootElement.GetProperty("connections").GetInt64());
        }

        server.Host.BeginShutdown();
        (status, body) = await server.GetAdminAsync("/health");
        Assert.Equal(503, status);
        Assert.Contains("shutting-down", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_report_operations_latencies_connections_bytes_memory_and_database()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using RawConnection client = await server.OpenAsync();
        for (uint i = 0; i < 5; i++)
        {
            await client.RequestAsync(Requests.Set(i, 0, Frame.Bytes($"m{i}"), [1, 2, 3]));
        }

        await client.RequestAsync(Requests.Get(10, 0, Frame.Bytes("absent")));
        await client.RequestAsync(Requests.Frame((Opcode)0x70, 11, 0, 0, (ref PayloadWriter w) => { }));
        server.Host.Database.Flush();

        (int status, string text) = await server.GetAdminAsync("/metrics");
        Assert.Equal(200, status);
        string[] expected =
        [
            "store_operations_total{opcode=\"Set\",status=\"Ok\"} 5",
            "store_operations_total{opcode=\"Get\",status=\"NotFound\"} 1",
            "store_operations_total{opcode=\"Hello\",status=\"Ok\"} 1",
            "store_operations_total{opcode=\"0x70\",status=\"UnknownOpcode\"} 1",
            "store_operation_duration_seconds_bucket{opcode=\"Set\",le=\"+Inf\"} 5",
            "store_operation_duration_seconds_count{opcode=\"Set\"} 5",
            "store_operation_duration_seconds_sum{opcode=\"Set\"} ",
            "# TYPE store_operation_duration_seconds histogram",
            "store_connections 1",
            "store_connections_accepted_total 1",
            "store_connections_rejected_total 0",
            "store_frames_rejected_total{reason=\"unknown_opcode\"} 1",
            "store_keyspaces 1",
            "store_keyspace_entries{keyspace=\"default\"} 5",
            "process_working_set_bytes ",
            "dotnet_gc_heap_size_bytes ",
            "store_shutting_down 0",
        ];
        foreach (string line in expected)
        {
            Assert.Contains(line, text, StringComparison.Ordinal);
        }

        Assert.True(Gauge(text, "store_received_bytes_total") > 0);
        Assert.True(Gauge(text, "store_sent_bytes_total") > 0);
        Assert.True(Gauge(text, "store_data_directory_bytes") > 0);

        // Buckets are cumulative.
        long previous = 0;
        foreach (string line in text.Split('\n').Where(l => l.StartsWith("store_operation_duration_seconds_bucket{opcode=\"Set\"", StringComparison.Ordinal)))
        {
            long count = long.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(count >= previous);
            previous = count;
        }

        Assert.Equal(5, previous);
    }

    [Fact]
    public async Task The_admin_surface_can_be_turned_off()
    {
        await using TestServer server = await TestServer.StartAsync((dir, logs) => new StoreServerOptions { DataDirectory = dir, Port = 0, AdminPort = null, LoggerFactory = logs });
        Assert.Null(server.Host.AdminEndpoint);
        await using RawConnection client = await server.OpenAsync();
        Assert.Equal(StatusCode.Ok, (await client.RequestAsync(Requests.Ping(1, []))).Status);
    }

    private static double Gauge(string text, string name)
    {
        string line = text.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return double.Parse(line[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
