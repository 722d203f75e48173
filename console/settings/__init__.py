"""The operator's settings: the Qt-free model kept as JSON per user, and the dialog that
edits it."""
