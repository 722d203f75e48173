"""Administration views for the admin roles."""
