"""The video walls: named layouts and their menu, tours, the further screens, the kiosk, sensor
gauges on tiles, and which stream-health changes are reported to central."""
