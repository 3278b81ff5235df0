"""The plan domain."""
