"""The programs domain."""
