using Store.Client.Protocol;

namespace Store.Client.Requests;

/// <summary>The payload of one request: its exact size first, then its fields (docs/protocol.md).</summary>
internal interface IRequestBody
{
    /// <summary>Bytes the payload takes.</summary>
    int PayloadSize { get; }

    /// <summary>Writes exactly <see cref="PayloadSize"/> bytes.</summary>
    void Write(ref PayloadWriter writer);
}
