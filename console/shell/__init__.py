"""The console's frame: start-up, the session that owns every part, the main window, its
status bar and docks, login, and what each role is offered."""
