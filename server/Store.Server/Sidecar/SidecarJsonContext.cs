using System.Text.Json.Serialization;

namespace Store.Server.Sidecar;

/// <summary>
/// Source-generated JSON contracts of the sidecar API: camelCase, enums by name, nulls left out,
/// unknown properties refused (a misspelt field is a 400, not silently ignored).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(LookupRequest))]
[JsonSerializable(typeof(StoreRequest))]
[JsonSerializable(typeof(InvalidateEntryRequest))]
[JsonSerializable(typeof(InvalidatePartitionRequest))]
[JsonSerializable(typeof(InvalidateCategoryRequest))]
[JsonSerializable(typeof(LoadRequest))]
[JsonSerializable(typeof(PolicyJson))]
[JsonSerializable(typeof(LookupReply))]
[JsonSerializable(typeof(StoreReply))]
[JsonSerializable(typeof(InvalidateReply))]
[JsonSerializable(typeof(LoadReply))]
[JsonSerializable(typeof(CacheListReply))]
[JsonSerializable(typeof(MetricsReply))]
[JsonSerializable(typeof(ErrorReply))]
internal sealed partial class SidecarJsonContext : JsonSerializerContext;
