"""The stored schedule as one snapshot: what compliance, grids, exports and swaps read."""
