"""Kitchen Watch package."""
