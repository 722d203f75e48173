"""Ledgers in the console: import dialog (dry run, problems, import), template, export."""
