"""Fixtures of the page tests: the hand-moved clock of the sign-in tests."""

from tests.auth.conftest import clock

__all__ = ["clock"]
