"""The rotations domain."""
