"""Read queries the browser dashboards need in one answer, over existing read models (no tables
of their own): a class's heat map, a student's activity by day, the platform's usage."""
