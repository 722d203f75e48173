"""Alarms in the console: the live list and pop-up panels, sounds, what the cache knows about
one alarm, and the evidence pack."""
