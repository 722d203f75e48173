"""Figures for the user's scope: the statistics dashboard."""
