using System.Diagnostics;
using Store.Client.Protocol;
using Store.Kv;

namespace Store.Server;

internal sealed partial class StoreConnection
{
    private readonly ScanCursor _scan;

    /// <summary>Parses a Scan request and sets up the cursor; the read loop then streams it (<see cref="StreamScanAsync"/>).</summary>
    private StatusCode StartScan(in FrameHeader header, ReadOnlySpan<byte> payload)
    {
        long started = Stopwatch.GetTimestamp();
        var reader = new PayloadReader(payload);
        ReadOnlySpan<byte> from = reader.ReadBytes();
        ReadOnlySpan<byte> to = reader.ReadBytes();
        byte prefix = reader.ReadByte();
        uint limit = reader.ReadUInt32();
        reader.End();
        if (prefix > 1)
        {
            throw new ProtocolException(StatusCode.InvalidArgument, $"Scan's prefix flag must be 0 or 1, got {prefix}.");
        }

        if (from.Length > _server.MaxKeyLength || to.Length > _server.MaxKeyLength)
        {
            throw new ProtocolException(StatusCode.KeyTooLarge, $"Scan bounds are at most {_server.MaxKeyLength} bytes (the longest key).");
        }

        Keyspace keyspace = KeyspaceOf(header);
        if (prefix == 1)
        {
            byte[]? successor = PrefixEnd(from);
            _scan.Start(header, started, keyspace, from, successor, unbounded: successor is null, limit);
        }
        else
        {
            _scan.Start(header, started, keyspace, from, to, unbounded: to.IsEmpty, limit);
        }

        return StatusCode.Ok;
    }

    /// <summary>Writes the running scan's batches, flushing after each; false if the connection should close.</summary>
    private async ValueTask<bool> StreamScanAsync()
    {
        FrameHeader request = _scan.Request;
        StatusCode status = StatusCode.Ok;
        bool open = true;
        try
        {
            while (true)
            {
                bool last;
                try
                {
                    last = _scan.NextBatch();
                    WriteRaw(request, StatusCode.Ok, _scan.Batch, last ? FrameFlags.None : FrameFlags.More);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A failed batch ends the stream with an error frame (More clear).
                    status = Fail(request, e);
                    last = true;
                }

                if (last)
                {
                    break;
                }

                if (!await FlushAsync().ConfigureAwait(false))
                {
                    open = false;
                    break;
                }
            }
        }
        finally
        {
            _metrics.RecordOperation((byte)request.Opcode, status, Stopwatch.GetTimestamp() - _scan.Started);
            _scan.Finish();
        }

        return open;
    }

    /// <summary>The first key after every key starting with <paramref name="prefix"/>; null when there is none (empty or all 0xFF).</summary>
    internal static byte[]? PrefixEnd(ReadOnlySpan<byte> prefix)
    {
        int last = prefix.Length - 1;
        while (last >= 0 && prefix[last] == 0xFF)
        {
            last--;
        }

        if (last < 0)
        {
            return null;
        }

        byte[] end = prefix[..(last + 1)].ToArray();
        end[last]++;
        return end;
    }
}
