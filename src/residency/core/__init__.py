"""The time model shared by every part of the product (pure: no I/O)."""
