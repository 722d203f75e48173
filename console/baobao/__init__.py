"""The 包保 network in the console (issue 18): the figures dock, the checklist visit dialog
and the record of every look at a camera (痕迹化). Playback and other viewers report a look
with one call: :func:`console.baobao.looks.record_look`."""
