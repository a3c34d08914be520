using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Store.Cache;

namespace Store.Extensions.AI;

/// <summary>How a chat request maps onto the cache: its partition (hard key) and its prompt (exact key and embedding input).</summary>
public static class ChatCacheKeys
{
    /// <summary>
    /// The default partition: tenant, model, system messages plus <see cref="ChatOptions.Instructions"/>,
    /// every tool's name, description and JSON schema, the response format and the generation
    /// parameters (temperature, top-p, top-k, penalties, max tokens, seed, stop sequences, tool mode).
    /// </summary>
    public static CachePartition Partition(IReadOnlyList<ChatMessage> messages, ChatOptions? options, string tenant, string model)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var system = new StringBuilder(options?.Instructions);
        foreach (ChatMessage message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                system.Append('\n').Append(message.Text);
            }
        }

        return new CachePartition(tenant, model)
        {
            SystemPrompt = system.Length == 0 ? null : system.ToString(),
            Tools = Tools(options?.Tools),
            ResponseFormat = ResponseFormat(options?.ResponseFormat),
            Parameters = Parameters(options),
        };
    }

    /// <summary>The prompt: every non-system message as "role: text", one per line (the conversation so far, not only its last turn).</summary>
    public static string Prompt(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var prompt = new StringBuilder();
        foreach (ChatMessage message in messages)
        {
            if (message.Role != ChatRole.System)
            {
                prompt.Append(message.Role.Value).Append(": ").Append(message.Text).Append('\n');
            }
        }

        return prompt.ToString();
    }

    private static string? Tools(IList<AITool>? tools)
    {
        if (tools is null || tools.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (AITool tool in tools.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            text.Append(tool.Name).Append('\u001f').Append(tool.Description).Append('\u001f');
            if (tool is AIFunctionDeclaration function)
            {
                text.Append(function.JsonSchema.GetRawText());
            }

            text.Append('\u001e');
        }

        return text.ToString();
    }

    private static string? ResponseFormat(ChatResponseFormat? format) => format switch
    {
        null => null,
        ChatResponseFormatJson json => $"json\u001f{json.SchemaName}\u001f{json.SchemaDescription}\u001f{(json.Schema is { } schema ? schema.GetRawText() : "")}",
        ChatResponseFormatText => "text",
        _ => format.GetType().FullName,
    };

    private static string? Parameters(ChatOptions? o)
    {
        if (o is null)
        {
            return null;
        }

        var text = new StringBuilder();
        Add(text, "temperature", o.Temperature);
        Add(text, "top_p", o.TopP);
        Add(text, "top_k", o.TopK);
        Add(text, "frequency_penalty", o.FrequencyPenalty);
        Add(text, "presence_penalty", o.PresencePenalty);
        Add(text, "max_output_tokens", o.MaxOutputTokens);
        Add(text, "seed", o.Seed);
        if (o.StopSequences is { Count: > 0 } stops)
        {
            text.Append("stop=").Append(JsonSerializer.Serialize(stops, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IList<string>)))).Append(';');
        }

        if (o.ToolMode is { } mode)
        {
            text.Append("tool_mode=").Append(mode.ToString()).Append(';');
        }

        return text.Length == 0 ? null : text.ToString();
    }

    private static void Add<T>(StringBuilder text, string name, T? value)
        where T : struct, IFormattable
    {
        if (value is { } v)
        {
            text.Append(name).Append('=').Append(v.ToString(null, CultureInfo.InvariantCulture)).Append(';');
        }
    }
}
