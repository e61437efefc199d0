"""Reporters turn an Analysis into text, JSON, SARIF, GitHub annotations, HTML. They never re-analyse."""
