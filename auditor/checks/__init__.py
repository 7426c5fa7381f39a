"""Check primitives, grouped by concern. Importing this package registers them all."""

from auditor.checks import (  # noqa: F401
    accessibility,
    domain,
    encoding,
    freshness,
    language,
    layout,
    mobile,
    sections,
    transport,
)
