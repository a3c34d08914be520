namespace Store.Bench.Suites.Ann;

/// <summary>
/// The in-process subjects of a run. Store's are added by StoreAnnSubject.cs, which is compiled only
/// with STORE_VECTORS_READY defined (its first line): until then only the exact harness check exists.
/// </summary>
internal static partial class AnnSubjects
{
    public static bool StoreCompiledIn
    {
        get
        {
            bool compiledIn = false;
            StoreIsCompiledIn(ref compiledIn);
            return compiledIn;
        }
    }

    /// <summary>The subjects named in <paramref name="settings"/>, Store's first.</summary>
    public static IReadOnlyList<IAnnSubject> Create(AnnSettings settings)
    {
        var subjects = new List<IAnnSubject>();
        if (settings.Subjects.Contains(AnnSettings.StoreSubject))
        {
            AddStoreSubjects(settings.Dataset, subjects);
        }

        if (settings.Subjects.Contains(AnnSettings.ExactSubject))
        {
            subjects.Add(new ExactAnnSubject());
        }

        return subjects;
    }

    static partial void StoreIsCompiledIn(ref bool compiledIn);

    static partial void AddStoreSubjects(string dataset, List<IAnnSubject> subjects);
}
