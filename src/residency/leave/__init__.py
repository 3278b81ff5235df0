"""Leave decisions (approve, deny) and the coverage of the gaps approved leave leaves."""
