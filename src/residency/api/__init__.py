"""HTTP conventions shared by every router: problems, pagination, ETags, dependencies."""
