"""Editing the registry in the console (admins, district admins within their district) and the
onboarding progress: dialogs for streets, communities, businesses, cameras and sensors reached
from the Registry menu and the channel tree, every change an outbox action."""
