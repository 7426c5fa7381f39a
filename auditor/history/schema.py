"""The tables of the history database (SQLAlchemy Core), as of the newest migration."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# one row per migration applied (see migrations.py)
schema_versions = Table(
    "auditor_schema",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", Text, nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("run_id", String(64), primary_key=True),
    Column("command", String(16), nullable=False),  # scan, demo, audit, merge
    Column("tool_version", String(32), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("status", String(16), nullable=False),  # running, complete, interrupted
    Column("profile", Text, nullable=False),
    Column("packs", Text, nullable=False),  # JSON: pack id -> sha256
    Column("as_of", Date, nullable=False),
    Column("settings_digest", String(64), nullable=False),
    Column("province", Text),
    Column("shard", String(16)),  # "K/N"
    Column("merged_into", String(64)),  # a shard run joined into a merged run
    Column("agencies_planned", Integer, nullable=False),
)

agency_results = Table(
    "agency_results",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(64), ForeignKey("runs.run_id", ondelete="CASCADE"), nullable=False),
    Column("domain", String(255), nullable=False),
    Column("name", Text, nullable=False),
    Column("level", String(16), nullable=False),
    Column("pack_id", String(64), nullable=False),
    Column("audited_in", String(64)),  # the run that crawled it (another one when resumed)
    Column("score", Float),
    Column("grade", String(8)),
    Column("coverage", Float),
    Column("failures", Integer, nullable=False),  # unwaived fails
    Column("counts", Text, nullable=False),  # JSON: status -> number
    Column("pages_fetched", Integer, nullable=False),
    Column("report_json", Text),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("run_id", "domain", name="uq_agency_results_run_domain"),
)
Index("ix_agency_results_domain", agency_results.c.domain)

findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "result_id",
        Integer,
        ForeignKey("agency_results.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("rule_id", String(128), nullable=False),
    Column("document", String(128), nullable=False),
    Column("article", String(32), nullable=False),
    Column("clause", String(32)),
    Column("point", String(32)),
    Column("status", String(16), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("weight", Float, nullable=False),
    Column("waived", Boolean, nullable=False),
    Column("waiver_reason", Text),
    Column("waiver_expires", Date),
)
Index("ix_findings_result", findings.c.result_id)
