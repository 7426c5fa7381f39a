"""The history database: every run and each agency's score and findings, over time.

SQLite by default (``history.sqlite`` in the output folder), any SQLAlchemy URL otherwise
(``postgresql+psycopg://…`` for a ministry-wide store); the schema is created and upgraded by
:mod:`auditor.history.migrations`.
"""
