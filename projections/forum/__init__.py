"""The forum read model (community context): forums, threads, posts, votes, reports."""

from projections.forum import posts as _posts  # noqa: F401  (registers the post handlers)
from projections.forum import moderation as _moderation  # noqa: F401  (registers report and suspension handlers)
from projections.forum.projection import forum

__all__ = ["forum"]
