"""Full-text search across course languages, shared by the catalog projection and its queries.

Each course is indexed with the stemmer of its own language. A search cannot know the
language of the words typed, so the GIN index is asked with an OR of the query parsed in
every configuration (a superset of the matches); each candidate is then checked and ranked
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


def candidates_tsquery(language: str | None) -> sql.Composable:
    """SQL for the index-side query of %(q)s: in the language's configuration, or in all."""
    configs = [config_for(language)] if language else sorted(set(CONFIGS.values()) | {FALLBACK})
    return sql.SQL(" || ").join(
        sql.SQL("websearch_to_tsquery({}::regconfig, %(q)s)").format(sql.Literal(c)) for c in configs
    )


# The exact query for one course, in its own configuration (column ts_config).
OWN_TSQUERY = sql.SQL("websearch_to_tsquery(ts_config, %(q)s)")

# Weights: title (A) > summary (B) > description (C); ts_rank weighs A highest.
TSVECTOR = sql.SQL(
    "setweight(to_tsvector(%(config)s::regconfig, %(title)s), 'A')"
    " || setweight(to_tsvector(%(config)s::regconfig, %(summary)s), 'B')"
    " || setweight(to_tsvector(%(config)s::regconfig, %(description)s), 'C')"
)
