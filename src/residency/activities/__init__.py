"""The activities domain."""
