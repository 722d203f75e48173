"""The words of food-safety supervision, shared by every program (Qt-free, SQLAlchemy-free).

Central, the console, the widgets, the simulator and the database models all speak of the same
alarm kinds, task states, roles and camera health; each of those words is defined once here so
that a state added on one side cannot be missing on the other. This package imports only the
standard library and :mod:`common` (``tests/test_layering.py`` holds it to that), so the
console's widgets can use it without pulling in the database layer.

Modules by subject: :mod:`domain.ids` and :mod:`domain.clock` (identifiers and UTC time),
:mod:`domain.registry` (business categories, sensor kinds, synced entity names),
:mod:`domain.alarms`, :mod:`domain.tasks` (states, the transition table and who may do what),
:mod:`domain.roles` (roles and what each may see), :mod:`domain.health` (camera stream health),
:mod:`domain.patrol` and :mod:`domain.rules` (typed alarm-rule parameters and their ranges).
"""
