"""The absences domain."""
