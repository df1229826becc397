"""Response models of the catalog routes (courses, categories, review, enrolment)."""
