"""Holidays and reduced days of a program."""
