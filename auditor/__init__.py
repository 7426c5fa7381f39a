"""auditor: compliance audits of Vietnamese state web portals (*.gov.vn)."""

__version__ = "0.1.0"
