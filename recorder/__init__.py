"""``kitchenwatch-recorder``: records cameras' streams into indexed segments (issue 16).

Qt-free. :mod:`recorder.capture` runs an ``ffmpeg -c copy`` child per camera,
:mod:`recorder.policy` decides what to keep, :mod:`recorder.store` owns the files and
:mod:`recorder.service` ties them to central (plan, alarms, index, prune, disk-full alarm).
"""
