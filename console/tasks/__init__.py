"""Inspection tasks: the task board and each task's timeline."""
