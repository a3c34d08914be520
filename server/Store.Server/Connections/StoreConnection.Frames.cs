using System.Buffers;
using System.Diagnostics;
using Store.Client.Protocol;

namespace Store.Server;

internal sealed partial class StoreConnection
{
    /// <summary>Answers every whole frame at the start of <paramref name="buffer"/> (advancing it) until it needs the read loop.</summary>
    private BatchStep ProcessFrames(ref ReadOnlySequence<byte> buffer)
    {
        _operationClock = Stopwatch.GetTimestamp();
        while (true)
        {
            if (_unflushedReplies >= _maxInFlight || _unflushedBytes >= FlushThresholdBytes)
            {
                return BatchStep.Flush;
            }

            switch (FrameReader.TryRead(ref buffer, _maxPayload, out FrameHeader header, out ReadOnlySequence<byte> payload))
            {
                case FrameReadResult.Incomplete:
                    return BatchStep.NeedMoreData;
                case FrameReadResult.TooLarge:
                    RefuseTooLarge(header);
                    return BatchStep.Close;
            }

            BatchStep step = Dispatch(header, payload);
            if (step != BatchStep.NeedMoreData)
            {
                return step;
            }
        }
    }

    /// <summary>Runs one request and writes its reply; returns <see cref="BatchStep.NeedMoreData"/> to go on with the next frame.</summary>
    private BatchStep Dispatch(in FrameHeader header, in ReadOnlySequence<byte> payloadSequence)
    {
        // One clock read per request: a request starts where the one before it in the batch ended.
        long started = _operationClock;
        ReadOnlySpan<byte> payload = payloadSequence.IsSingleSegment ? payloadSequence.FirstSpan : CopyPayload(payloadSequence);
        StatusCode status;
        BatchStep step = BatchStep.NeedMoreData;
        try
        {
            if (_server.ShuttingDown)
            {
                status = WriteError(header, StatusCode.ShuttingDown, "The server is stopping; retry on another server or after it restarts.");
                _refusedWhileStopping = true;
            }
            else if (!_handshaken)
            {
                status = Handshake(header, payload);
                if (!_handshaken)
                {
                    step = BatchStep.Close;
                }
            }
            else
            {
                status = Execute(header, payload);
                if (status == StatusCode.Ok && header.Opcode == Opcode.Scan && _scan.Active)
                {
                    return BatchStep.Scan; // the scan records its own metrics when it ends
                }
            }
        }
        catch (Exception e)
        {
            status = Fail(header, e);
            if (!_handshaken)
            {
                step = BatchStep.Close;
            }
        }

        if (step == BatchStep.Close)
        {
            _closeAfterError = true;
            _closeReason ??= $"handshake failed with {status}";
            _metrics.RecordRejectedFrame(FrameRejection.Handshake);
        }

        long ended = Stopwatch.GetTimestamp();
        _operationClock = ended;
        _metrics.RecordOperation((byte)header.Opcode, status, ended - started);
        return step;
    }

    private StatusCode Execute(in FrameHeader header, ReadOnlySpan<byte> payload)
    {
        switch (header.Opcode)
        {
            case Opcode.Ping:
                return WriteRaw(header, StatusCode.Ok, payload);
            case Opcode.Hello:
                throw new ProtocolException(StatusCode.BadRequest, "Hello was already answered on this connection; send it once, as the first frame.");
            case Opcode.OpenKeyspace:
                return OpenKeyspace(header, payload);
            case Opcode.Get:
                return Get(header, payload);
            case Opcode.Set:
                return Set(header, payload);
            case Opcode.Delete:
                return Delete(header, payload);
            case Opcode.Increment:
                return Increment(header, payload);
            case Opcode.MultiGet:
                return MultiGet(header, payload);
            case Opcode.MultiSet:
                return MultiSet(header, payload);
            case Opcode.Scan:
                return StartScan(header, payload);
            case Opcode.Expire:
                return Expire(header, payload);
            case Opcode.Persist:
                return Persist(header, payload);
            case Opcode.TimeToLive:
                return TimeToLive(header, payload);
            case Opcode.Count:
                return Count(header, payload);
            case >= Opcode.CacheOpen and <= Opcode.CacheMetrics:
                return ExecuteCache(header, payload);
            default:
                _metrics.RecordRejectedFrame(FrameRejection.UnknownOpcode);
                return WriteError(header, StatusCode.UnknownOpcode,
                    $"Opcode 0x{(byte)header.Opcode:X2} is not one this server knows (it speaks protocol version {FrameHeader.ProtocolVersion}).");
        }
    }

    private void RefuseTooLarge(in FrameHeader header)
    {
        _metrics.RecordRejectedFrame(FrameRejection.TooLarge);
        _metrics.RecordOperation((byte)header.Opcode, StatusCode.FrameTooLarge, 0);
        WriteError(header, StatusCode.FrameTooLarge,
            $"The frame announces a payload of {header.PayloadLength} bytes; this server accepts at most {_maxPayload} (MaxFrameBytes). The connection is closed.");
        _closeAfterError = true;
        _closeReason = $"frame of {header.PayloadLength} bytes over MaxFrameBytes ({_maxPayload})";
    }

    /// <summary>Copies a payload that spans pipe segments into one reused array.</summary>
    private ReadOnlySpan<byte> CopyPayload(in ReadOnlySequence<byte> payload)
    {
        int length = (int)payload.Length;
        if (_payloadCopy.Length < length)
        {
            if (_payloadCopy.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_payloadCopy);
            }

            _payloadCopy = ArrayPool<byte>.Shared.Rent(length);
        }

        payload.CopyTo(_payloadCopy);
        return _payloadCopy.AsSpan(0, length);
    }
}
