using System.Numerics.Tensors;
using Store.Vectors;

namespace Store.Tests.Vectors;

/// <summary>How a split cuts an oversized posting list in two (SpannIndex.TwoMeans).</summary>
public sealed class SpannSplitTests
{
    private const int Dimension = 16;

    [Theory]
    [InlineData(1, 60)]
    [InlineData(3, 49)]
    [InlineData(8, 200)]
    public void EveryVectorGoesToTheNearerOfTheTwoNewHeads(int clusters, int count)
    {
        // One blob (clusters = 1) is where 2-means sides and nearest heads disagree most: the heads are
        // the members nearest the means, and many vectors near the middle are nearer the other head.
        var data = new ClusteredData(count, 1, Dimension, clusters, TestMode.Seed(7100 + clusters));
        VectorSpace space = VectorSpace.Create(Dimension, VectorMetric.L2, VectorElementType.Float32);
        var entries = new ListEntries();
        entries.Reset(count, space.CodeSize);
        var code = new byte[space.CodeSize];
        for (int i = 0; i < count; i++)
        {
            space.Encode(data.Vector(i), code);
            entries.Add(i, 1, code);
        }

        int[] side = SpannIndex.TwoMeans(space, entries, count, out int nearestA, out int nearestB);

        Assert.Equal(count, side.Length);
        Assert.NotEqual(nearestA, nearestB);
        Assert.Equal(0, side[nearestA]);
        Assert.Equal(1, side[nearestB]);
        Assert.Contains(0, side);
        Assert.Contains(1, side);
        for (int i = 0; i < count; i++)
        {
            float toA = TensorPrimitives.Distance(data.Vector(i), data.Vector(nearestA));
            float toB = TensorPrimitives.Distance(data.Vector(i), data.Vector(nearestB));
            if (toA != toB)
            {
                Assert.True(side[i] == (toA < toB ? 0 : 1), $"vector {i} is {toA} from head A and {toB} from head B but went to side {side[i]}");
            }
        }
    }
}
