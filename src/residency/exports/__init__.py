"""Exports and imports that real tools read: XLSX workbooks, CSV, iCalendar feeds."""
