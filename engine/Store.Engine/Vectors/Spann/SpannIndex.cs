using System.Collections.Concurrent;
using Store.Storage;

namespace Store.Vectors;

/// <summary>
/// A built SPANN index over vectors with dense internal ids 0..N-1: heads (codes and their HNSW) and
/// the posting directory in memory, posting lists on disk read with O_DIRECT. Searches run on any
/// number of threads at once; each borrows a <see cref="PostingReadContext"/> from a pool.
/// </summary>
internal sealed partial class SpannIndex : IDisposable
{
    public const string HeadsFile = "spann.heads";
    public const string GraphFile = "spann.graph";
    public const string PostingsFile = "spann.postings";
    public const uint HeadsFormatVersion = 1;

    private readonly ConcurrentBag<PostingReadContext> _contexts = [];
    private readonly DirectFile _postings;

    // Lists whose checksum was checked since open: each is checked on its first read only.
    private readonly ulong[] _verified;

    private SpannIndex(VectorSpace space, SpannOptions options, int vectorCount, CodeStore headCodes, int[] headVectors, HnswGraph graph, PostingDirectory directory, DirectFile postings)
    {
        Space = space;
        Options = options;
        VectorCount = vectorCount;
        HeadCodes = headCodes;
        HeadVectors = headVectors;
        Graph = graph;
        Directory = directory;
        _postings = postings;
        _verified = new ulong[(directory.Count >> 6) + 1];
    }

    public VectorSpace Space { get; }

    public SpannOptions Options { get; }

    /// <summary>Vectors the index was built over (internal ids below this).</summary>
    public int VectorCount { get; }

    public CodeStore HeadCodes { get; }

    /// <summary>The internal vector id of each head.</summary>
    public int[] HeadVectors { get; }

    public HnswGraph Graph { get; }

    public PostingDirectory Directory { get; }

    /// <summary>True if posting reads bypass the page cache (O_DIRECT).</summary>
    public bool DirectReads => _postings.IsDirect;

    /// <summary>Bytes the index holds in memory (heads, graph, directory), read buffers excluded.</summary>
    public long MemoryBytes => HeadCodes.MemoryBytes + Graph.MemoryBytes + Directory.MemoryBytes + (HeadVectors.Length * sizeof(int));

    /// <summary>Opens an index written by <see cref="Build"/> in <paramref name="directory"/>.</summary>
    public static SpannIndex Open(string directory, VectorSpace space, SpannOptions options)
    {
        string headsPath = System.IO.Path.Combine(directory, HeadsFile);
        using var reader = new ChecksummedReader(headsPath, FileHeader.SpannHeadsMagic, HeadsFormatVersion);
        int heads = checked((int)reader.Header.Value);
        int vectorCount = reader.ReadInt32(0, int.MaxValue, "the vector count");
        int codeSize = reader.ReadInt32(space.CodeSize, space.CodeSize, "the code size");
        var headVectors = new int[heads];
        reader.Read<int>(headVectors);
        var headCodes = new CodeStore(codeSize, heads);
        for (int h = 0; h < heads; h++)
        {
            if ((uint)headVectors[h] >= (uint)vectorCount)
            {
                throw new StoreCorruptionException(headsPath, 0, $"head {h} names vector {headVectors[h]}, beyond the {vectorCount} vectors");
            }

            reader.Read(codeSize).CopyTo(headCodes.Writable(h));
        }

        headCodes.Publish(heads);
        if (!reader.AtEnd)
        {
            throw new StoreCorruptionException(headsPath, 0, "bytes follow the last head");
        }

        HnswGraph graph = HnswGraph.Load(System.IO.Path.Combine(directory, GraphFile), space, headCodes, options.HeadGraph);
        string postingsPath = System.IO.Path.Combine(directory, PostingsFile);
        PostingDirectory lists = PostingFile.ReadDirectory(postingsPath, space);
        if (lists.Count != heads || graph.NodeCount != heads)
        {
            throw new StoreCorruptionException(postingsPath, 0, $"{lists.Count} posting lists and {graph.NodeCount} graph nodes for {heads} heads");
        }

        return new SpannIndex(space, options, vectorCount, headCodes, headVectors, graph, lists, DirectFile.OpenRead(postingsPath));
    }

    public void Dispose()
    {

        while (_contexts.TryTake(out PostingReadContext? context))
        {
            context.Dispose();
        }

        _postings.Dispose();
    }
}
