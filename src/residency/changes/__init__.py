"""Changes to the published schedule after publication: swaps, leave releases and
coverage picks share one engine (rows in memory, judged before and after, written
under locks with their audit entries)."""
