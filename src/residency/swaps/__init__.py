"""Swaps after publication: FMIT weeks, call nights and clinic sessions, validated,
executed atomically under row locks, audited and reversible (issue 6)."""
