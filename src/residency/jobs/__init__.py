"""Job runners: where CPU-heavy work (solves) runs, away from the event loop."""
