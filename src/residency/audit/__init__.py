"""The append-only, hash-chained audit trail: one entry per mutation."""
