"""Learning progress and analytics: the `progress` read model (tables.py, filled by
course_events.py and class_events.py), its queries and the polars reports on it."""

from projections.analytics import class_events, course_events  # noqa: F401  (registers the handlers)
from projections.analytics.tables import progress

__all__ = ["progress"]
