namespace Store.Tests.Index;

/// <summary>One key/value pair as observed from the list or the model (the key is a private copy).</summary>
internal readonly record struct Entry(byte[] Key, long Value)
{
    public override string ToString() => $"{KeyText.Format(Key)}={Value}";
}
