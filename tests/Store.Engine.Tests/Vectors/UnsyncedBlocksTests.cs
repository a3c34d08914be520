using Store.Vectors;

namespace Store.Tests.Vectors;

/// <summary>The in-memory copies of posting blocks written since the last sync: what a sync lets go, what a rewrite replaces, when buffers come back.</summary>
public sealed class UnsyncedBlocksTests
{
    private const int BlockBytes = 64;

    [Fact]
    public void ASyncLetsGoOnlyOfTheBlocksWrittenBeforeItStarted()
    {
        var blocks = new UnsyncedBlocks(BlockBytes);
        Assert.True(blocks.IsEmpty);
        blocks.Remember(3, Filled(3));
        blocks.Remember(4, Filled(4));
        long synced = blocks.Sequence;
        blocks.Remember(5, Filled(5)); // written while the sync ran
        blocks.Forget(synced);

        Span<byte> copy = stackalloc byte[BlockBytes];
        Assert.False(blocks.TryCopy(3, copy));
        Assert.False(blocks.TryCopy(4, copy));
        Assert.True(blocks.TryCopy(5, copy));
        Assert.Equal(Filled(5), copy.ToArray());
        Assert.Equal(1, blocks.Count);
    }

    [Fact]
    public void ARewriteReplacesTheCopyAndSurvivesASyncThatStartedBeforeIt()
    {
        var blocks = new UnsyncedBlocks(BlockBytes);
        blocks.Remember(7, Filled(1));
        long synced = blocks.Sequence;
        blocks.Remember(7, Filled(2));
        blocks.Forget(synced);

        byte[] copy = new byte[BlockBytes];
        Assert.True(blocks.TryCopy(7, copy));
        Assert.Equal(Filled(2), copy);
    }

    [Fact]
    public void BuffersComeBackForReuseOnlyThroughTheRetiredList()
    {
        var blocks = new UnsyncedBlocks(BlockBytes);
        Assert.Null(blocks.TakeRetired());
        blocks.Remember(1, Filled(1));
        blocks.Remember(2, Filled(2));
        blocks.Forget(blocks.Sequence);
        List<byte[]> retired = blocks.TakeRetired()!;
        Assert.Equal(2, retired.Count);
        Assert.Null(blocks.TakeRetired());

        // Reused buffers are overwritten whole by the next blocks remembered.
        blocks.Reuse(retired);
        blocks.Remember(9, Filled(9));
        byte[] copy = new byte[BlockBytes];
        Assert.True(blocks.TryCopy(9, copy));
        Assert.Equal(Filled(9), copy);
    }

    [Fact]
    public void TheCountFollowsRemembersRewritesAndSyncs()
    {
        var blocks = new UnsyncedBlocks(BlockBytes);
        blocks.Remember(1, Filled(1));
        blocks.Remember(2, Filled(2));
        blocks.Remember(1, Filled(3)); // a rewrite replaces, it does not add
        Assert.Equal(2, blocks.Count);
        blocks.Forget(blocks.Sequence);
        Assert.Equal(0, blocks.Count);
        Assert.True(blocks.IsEmpty);
    }

    private static byte[] Filled(int value) => Enumerable.Repeat((byte)value, BlockBytes).ToArray();
}
