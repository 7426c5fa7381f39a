"""The HTML page of ``auditor diff``: self-contained, no script, from the diff model only."""

from __future__ import annotations

from auditor.models import Lang
from auditor.report.html_report import environment
from auditor.report.i18n import format_date, format_number, status_label, ui
from auditor.runs.diff import RunDiff


def render_diff_html(diff: RunDiff, lang: Lang = "vi") -> str:
    """The comparison page of two runs."""
    return (
        environment()
        .get_template("diff.html.j2")
        .render(
            lang=lang,
            tr=lambda key: ui(key, lang),
            d=diff,
            old_date=format_date(diff.old.as_of, lang),
            new_date=format_date(diff.new.as_of, lang),
            num=lambda value: format_number(value, lang) if value is not None else "—",
            status=lambda value: status_label(value, lang) if value else "—",
            cite=lambda c: f"{c.document} {c.label(lang)}",
            text=lambda local: local.get(lang),
            moved=lambda change: (
                ui("diff_came" if change == "came_into_force" else "diff_went", lang)
                if change
                else ""
            ),
        )
    )
