"""Progress and analytics: who may read reports, and importing a recorded learning history."""
