"""Full-text search across course languages, shared by the catalog projection and its queries.

Each course is indexed with the stemmer of its own language. A search cannot know the
language of the words typed, so the GIN index is asked with an OR of the query parsed in
every configuration (a superset of the matches); each candidate is then matched and ranked
with the query parsed in the course's own configuration, so that "-word" and "phrases" keep
their meaning.
"""

from __future__ import annotations

from psycopg import sql

# PostgreSQL's built-in Snowball configurations, by primary language subtag.
CONFIGS = {
    "da": "danish", "de": "german", "en": "english", "es": "spanish", "fi": "finnish",
    "fr": "french", "hu": "hungarian", "it": "italian", "nb": "norwegian", "nl": "dutch",
    "nn": "norwegian", "no": "norwegian", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sv": "swedish", "tr": "turkish",
}
FALLBACK = "simple"  # no stemming, no stop words: right for any other language


def config_for(language: str) -> str:
    return CONFIGS.get(language.split("-")[0].lower(), FALLBACK)


def configs_for(language: str | None) -> list[str]:
    """The language's configuration, or all of them when the language is not given."""
    return [config_for(language)] if language else sorted(set(CONFIGS.values()) | {FALLBACK})


# Parse %(q)s once per configuration in %(configs)s (not once per row: that costs more than
# the ranking), and OR the distinct results into the index-side query `q.query`. A course is
# then matched and ranked with `qs.query`, the one of its own configuration (join on ts_config).
QUERIES = sql.SQL(
    "qs AS MATERIALIZED (SELECT c::regconfig AS config, websearch_to_tsquery(c::regconfig, %(q)s) AS query"
    "  FROM unnest(%(configs)s::text[]) c),"
    " q AS (SELECT (SELECT string_agg(DISTINCT '(' || query::text || ')', ' | ') FROM qs"
    "  WHERE numnode(query) > 0)::tsquery AS query)"
)

# Weights: title (A) > summary (B) > description (C); ts_rank weighs A highest.
TSVECTOR = sql.SQL(
    "setweight(to_tsvector(%(config)s::regconfig, %(title)s), 'A')"
    " || setweight(to_tsvector(%(config)s::regconfig, %(summary)s), 'B')"
    " || setweight(to_tsvector(%(config)s::regconfig, %(description)s), 'C')"
)
