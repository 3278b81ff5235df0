"""The people domain."""
