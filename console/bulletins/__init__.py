"""督查通报 in the console: list, preview, draft, approve and publish (central keeps them)."""
