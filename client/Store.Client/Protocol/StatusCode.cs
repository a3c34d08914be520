namespace Store.Client.Protocol;

/// <summary>The outcome carried by a reply frame (docs/protocol.md lists when each is sent).</summary>
public enum StatusCode : ushort
{
    /// <summary>Done.</summary>
    Ok = 0,

    /// <summary>The key is absent or expired.</summary>
    NotFound = 1,

    /// <summary>A conditional write's condition did not hold.</summary>
    ConditionFailed = 2,

    /// <summary>The payload does not parse.</summary>
    BadRequest = 10,

    /// <summary>The server does not know the opcode.</summary>
    UnknownOpcode = 11,

    /// <summary>The frame is over the server's size limit; the connection is closed.</summary>
    FrameTooLarge = 12,

    /// <summary>The value is over the database's maximum value size.</summary>
    ValueTooLarge = 13,

    /// <summary>The key is over 64 KiB.</summary>
    KeyTooLarge = 14,

    /// <summary>The handle was not opened on this connection, or the keyspace does not exist.</summary>
    UnknownKeyspace = 15,

    /// <summary>No or unknown token.</summary>
    Unauthorized = 16,

    /// <summary>The token's tenant may not use this keyspace.</summary>
    Forbidden = 17,

    /// <summary>Client and server share no protocol version.</summary>
    VersionMismatch = 18,

    /// <summary>A request came before the handshake.</summary>
    HandshakeRequired = 19,

    /// <summary>The server is stopping.</summary>
    ShuttingDown = 20,

    /// <summary>A field is out of range.</summary>
    InvalidArgument = 21,

    /// <summary>Increment of a value that is not a 64-bit integer.</summary>
    WrongType = 22,

    /// <summary>A vector of the wrong dimension.</summary>
    WrongDimension = 30,

    /// <summary>A vector with a NaN or infinite component, or zero under cosine.</summary>
    InvalidVector = 31,

    /// <summary>No such vector collection.</summary>
    UnknownCollection = 32,

    /// <summary>The server serves no semantic cache of that name.</summary>
    UnknownCache = 33,

    /// <summary>A server bug; the message and the server log say more.</summary>
    Internal = 50,

    /// <summary>Stored data failed its checksum.</summary>
    Corruption = 51,
}
