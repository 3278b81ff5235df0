"""The assignments domain."""
