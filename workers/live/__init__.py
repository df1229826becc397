"""Live context workers: the scheduler that opens, closes and reminds."""
