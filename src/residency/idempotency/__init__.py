"""Idempotency-Key: a replayed request answers the first result and acts once."""
