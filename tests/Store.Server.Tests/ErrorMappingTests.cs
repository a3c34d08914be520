using Store.Client.Protocol;

namespace Store.Server.Tests;

/// <summary>Engine and codec exceptions map to the typed statuses of docs/server.md, anything else to Internal.</summary>
public sealed class ErrorMappingTests
{
    public static TheoryData<Exception, StatusCode> Cases => new()
    {
        { new ProtocolException(StatusCode.BadRequest, "x"), StatusCode.BadRequest },
        { new ProtocolException(StatusCode.Forbidden, "x"), StatusCode.Forbidden },
        { new KeyspaceNotFoundException("k"), StatusCode.UnknownKeyspace },
        { new CategoryNotFoundException("k", "c"), StatusCode.InvalidArgument },
        { new ValueNotIntegerException("x"), StatusCode.WrongType },
        { new StoreCorruptionException("f", 1, "bad crc"), StatusCode.Corruption },
        { new ObjectDisposedException("Database"), StatusCode.ShuttingDown },
        { new ArgumentOutOfRangeException("ttl"), StatusCode.InvalidArgument },
        { new ArgumentException("name"), StatusCode.InvalidArgument },
        { new InvalidOperationException("bug"), StatusCode.Internal },
        { new NullReferenceException(), StatusCode.Internal },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Exceptions_map_to_statuses(Exception exception, StatusCode expected) => Assert.Equal(expected, StoreConnection.StatusOf(exception));
}
