"""The catalog kit (courses created and published through the API) for the AI tools' tests."""

from tests.api.catalog.conftest import catalog_staff, kit  # noqa: F401 - fixtures
