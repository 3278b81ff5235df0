"""Calendar feeds: one secret feed token per person (the feed routes come with issue 8)."""
