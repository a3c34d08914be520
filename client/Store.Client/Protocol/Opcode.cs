namespace Store.Client.Protocol;

/// <summary>The operation of a frame (docs/protocol.md); a reply repeats its request's opcode.</summary>
public enum Opcode : byte
{
    /// <summary>Handshake: versions, token, client name. Must be the first frame.</summary>
    Hello = 0x01,

    /// <summary>Echoes its payload.</summary>
    Ping = 0x02,

    /// <summary>Opens (optionally creates) a keyspace by name and returns a per-connection handle.</summary>
    OpenKeyspace = 0x03,

    /// <summary>Reads a value.</summary>
    Get = 0x10,

    /// <summary>Writes a value with TTL, category and condition.</summary>
    Set = 0x11,

    /// <summary>Deletes a key.</summary>
    Delete = 0x12,

    /// <summary>Adds to a 64-bit integer value.</summary>
    Increment = 0x13,

    /// <summary>Reads several values.</summary>
    MultiGet = 0x14,

    /// <summary>Writes several values.</summary>
    MultiSet = 0x15,

    /// <summary>A range or prefix scan, streamed in several reply frames.</summary>
    Scan = 0x16,

    /// <summary>Sets a key's time to live.</summary>
    Expire = 0x17,

    /// <summary>Removes a key's expiry.</summary>
    Persist = 0x18,

    /// <summary>A key's remaining time to live.</summary>
    TimeToLive = 0x19,

    /// <summary>Entries in the keyspace.</summary>
    Count = 0x1A,

    /// <summary>Semantic cache: its dimension (checks it is served).</summary>
    CacheOpen = 0x40,

    /// <summary>Semantic cache: looks a prompt up.</summary>
    CacheLookup = 0x41,

    /// <summary>Semantic cache: stores a response.</summary>
    CacheStore = 0x42,

    /// <summary>Semantic cache: removes one entry by id.</summary>
    CacheInvalidate = 0x43,

    /// <summary>Semantic cache: removes every entry of a partition.</summary>
    CacheInvalidatePartition = 0x44,

    /// <summary>Semantic cache: removes every entry of a category.</summary>
    CacheInvalidateCategory = 0x45,

    /// <summary>Semantic cache: replaces a category's policy.</summary>
    CacheSetPolicy = 0x46,

    /// <summary>Semantic cache: reads a category's policy.</summary>
    CacheGetPolicy = 0x47,

    /// <summary>Semantic cache: reports the downstream model's load.</summary>
    CacheReportLoad = 0x48,

    /// <summary>Semantic cache: metrics per category.</summary>
    CacheMetrics = 0x49,
}
