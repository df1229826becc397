"""Read queries the browser dashboards need in one answer that no other route gives: a class's
heat map (over the classroom read models) and a student's own activity by day (over the progress
read model's `activity_days`). They have no tables of their own."""
