"""The shifts domain."""
