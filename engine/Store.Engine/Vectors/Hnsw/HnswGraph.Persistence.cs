using Store.Storage;

namespace Store.Vectors;

internal sealed partial class HnswGraph
{
    /// <summary>Format version of hnsw graph files.</summary>
    public const uint FormatVersion = 1;

    /// <summary>
    /// Writes the graph (not the codes): header (magic "STOREHNS", version, node count), the space and
    /// options, the entry point, then per node its level, deleted flag and link lists, then a CRC32C.
    /// Call while no insert runs.
    /// </summary>
    public void Save(string path)
    {
        int count = NodeCount;
        using var writer = new ChecksummedWriter(path, FileHeader.HnswMagic, FormatVersion, (ulong)count);
        writer.WriteInt32(_space.Dimension);
        writer.WriteInt32((int)_space.ElementType);
        writer.WriteInt32((int)_space.Metric);
        writer.WriteInt32(M);
        writer.WriteInt32(Options.EfConstruction);
        writer.WriteInt64((long)Options.Seed);
        EntryPoint? entry = _entry;
        writer.WriteInt32(entry?.Id ?? -1);
        writer.WriteInt32(entry?.Level ?? -1);
        Span<byte> flags = stackalloc byte[2];
        for (int id = 0; id < count; id++)
        {
            int level = LevelOf(id);
            flags[0] = (byte)level;
            flags[1] = IsDeleted(id) ? (byte)1 : (byte)0;
            writer.Write(flags);
            for (int l = 0; l <= level; l++)
            {
                Span<int> links = Links(id, l);
                writer.Write<int>(links[..(links[0] + 1)]);
            }
        }

        writer.Commit();
    }

    /// <summary>
    /// Loads a graph written by <see cref="Save"/> over <paramref name="codes"/> (which must hold every
    /// node's code). The file must describe the same space; links are checked to name real nodes.
    /// </summary>
    public static HnswGraph Load(string path, VectorSpace space, CodeStore codes, HnswOptions options)
    {
        using var reader = new ChecksummedReader(path, FileHeader.HnswMagic, FormatVersion);
        int count = checked((int)reader.Header.Value);
        int dimension = reader.ReadInt32();
        var elementType = (VectorElementType)reader.ReadInt32();
        var metric = (VectorMetric)reader.ReadInt32();
        if (dimension != space.Dimension || elementType != space.ElementType || metric != space.Metric)
        {
            throw new StoreCorruptionException(path, FileHeader.Size, $"the graph is of {dimension}-d {elementType} {metric} vectors, the collection of {space.Dimension}-d {space.ElementType} {space.Metric}");
        }

        int m = reader.ReadInt32(4, 128, "M");
        int efConstruction = reader.ReadInt32();
        ulong seed = (ulong)reader.ReadInt64();
        var graph = new HnswGraph(space, codes, new HnswOptions { M = m, EfConstruction = efConstruction, EfSearch = options.EfSearch, Seed = seed });
        if (codes.Count < count)
        {
            throw new StoreCorruptionException(path, 16, $"the graph has {count} nodes, the collection only {codes.Count} vectors");
        }

        int entryId = reader.ReadInt32(-1, count - 1, "the entry point");
        int entryLevel = reader.ReadInt32(-1, MaxLevel, "the entry level");
        graph.EnsureNodes(count);
        for (int id = 0; id < count; id++)
        {
            ReadOnlySpan<byte> flags = reader.Read(2);
            int level = flags[0];
            if (level > MaxLevel)
            {
                throw new StoreCorruptionException(path, 0, $"node {id} has level {level}, above {MaxLevel}");
            }

            graph._levels[id >> ChunkShift][id & ChunkMask] = (byte)level;
            if (level > 0)
            {
                graph._upper[id >> ChunkShift][id & ChunkMask] = new int[level * (graph.M + 1)];
            }

            for (int l = 0; l <= level; l++)
            {
                Span<int> links = graph.Links(id, l);
                int n = reader.ReadInt32(0, links.Length - 1, $"the link count of node {id} on level {l}");
                links[0] = n;
                reader.Read(links.Slice(1, n));
                foreach (int link in links.Slice(1, n))
                {
                    if ((uint)link >= (uint)count)
                    {
                        throw new StoreCorruptionException(path, 0, $"node {id} links to node {link}, beyond the {count} nodes");
                    }
                }
            }

            if (flags[1] != 0)
            {
                graph.MarkDeleted(id);
            }
        }

        if (!reader.AtEnd)
        {
            throw new StoreCorruptionException(path, 0, "bytes follow the last node");
        }

        graph._nodeCount = count;
        graph._entry = entryId < 0 ? null : new EntryPoint(entryId, entryLevel);
        graph.CountInDegrees();
        return graph;
    }
}
