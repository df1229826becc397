"""Progress and analytics routes (docs/analytics.md)."""
