"""Schedule generation runs: jobs that solve, stream progress, and publish drafts."""
