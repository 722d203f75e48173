"""Playback of recordings: a camera's day on a timeline, up to four cameras in step through
libVLC, export of a clip as a watermarked MP4.

The Qt-free parts (``timeline``, ``clock``, ``sources``, ``export``) hold everything a user relies
on being right — seek arithmetic, gaps, speeds, the signed addresses, the exported file and its
hash — and are tested without a display; ``vlc_view`` and ``window`` are the widgets.
"""
