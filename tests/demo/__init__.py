"""Tests of the demo program generator."""
