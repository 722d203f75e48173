"""Small building blocks every Kitchen Watch program shares: no Qt, no SQLAlchemy, no I/O.

The console, the video wall engine, central and the simulator may all import from here; this
package imports nothing of theirs (tests/test_layering.py holds it to that).
"""
