"""Check primitives, grouped by concern; :func:`auditor.checks.registry.load_all` imports them."""

PRIMITIVE_MODULES = (
    "accessibility",
    "dns",
    "documents",
    "domain",
    "encoding",
    "freshness",
    "interaction",
    "language",
    "layout",
    "mobile",
    "sections",
    "sources",
    "support",
    "timeliness",
    "transport",
)
