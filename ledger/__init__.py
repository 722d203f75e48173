"""Ledgers (台账) in and out: reading a bureau's Excel and CSV ledgers, checking them row by
row, and writing the template and the export.

Qt-free and SQLAlchemy-free: it deals in plain rows, so central's import, the console's dry
run and the benchmarks share it (central/registry_write.py persists what it returns)."""
