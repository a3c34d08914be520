namespace Store.Server.Tests.Cache;

/// <summary>Seeded unit vectors, and vectors at an exact cosine similarity to a given one.</summary>
internal sealed class UnitVectors(int dimension, int seed)
{
    private readonly Random _random = new(seed);

    public int Dimension { get; } = dimension;

    public float[] Next()
    {
        var v = new float[Dimension];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = (float)((_random.NextDouble() * 2) - 1);
        }

        return Normalize(v);
    }

    /// <summary>A unit vector whose cosine with <paramref name="unit"/> is <paramref name="similarity"/>.</summary>
    public float[] At(float[] unit, double similarity)
    {
        float[] r = Next();
        double dot = 0;
        for (int i = 0; i < r.Length; i++)
        {
            dot += r[i] * unit[i];
        }

        for (int i = 0; i < r.Length; i++)
        {
            r[i] -= (float)(dot * unit[i]);
        }

        r = Normalize(r);
        double side = Math.Sqrt(1 - (similarity * similarity));
        var v = new float[Dimension];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = (float)((similarity * unit[i]) + (side * r[i]));
        }

        return v;
    }

    private static float[] Normalize(float[] v)
    {
        double norm = Math.Sqrt(v.Sum(x => (double)x * x));
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = (float)(v[i] / norm);
        }

        return v;
    }
}
