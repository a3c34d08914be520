namespace Store.Vectors;

/// <summary>What live updates of a SPANN index have done since it was opened.</summary>
/// <param name="Splits">Posting lists split in two (each added two heads and removed one).</param>
/// <param name="Merges">Posting lists merged away after falling below <see cref="SpannOptions.MergeThreshold"/>.</param>
/// <param name="Reassigned">Vectors given a new version and placed again by splits and merges.</param>
/// <param name="PendingSplits">Oversized lists waiting for the background maintenance.</param>
/// <param name="Heads">Heads in use.</param>
/// <param name="PostingBlocks">Blocks in the posting file (in use, free or waiting to be reused).</param>
/// <param name="HeadLinksRepaired">Links added to the head graph to reconnect heads that inserts had left unreachable.</param>
public sealed record SpannUpdateStatistics(long Splits, long Merges, long Reassigned, int PendingSplits, int Heads, int PostingBlocks, long HeadLinksRepaired);
