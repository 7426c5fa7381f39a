"""What was observed of one portal (:class:`SiteCapture`), kept apart from any judgement,
and its storage as a WARC file (ISO 28500) that replay tools open."""
