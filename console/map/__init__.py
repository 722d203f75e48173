"""The city on a map (挂图作战): district boundaries, kitchens as points coloured by state,
clusters when zoomed out, and a per-district choropleth.

Qt-free: :mod:`.points` (states, projection, clustering) and :mod:`.figures` (per-district
figures and colours). Qt: :mod:`.view` (the QGraphicsView) and :mod:`.panel` (the dock, fed
from the local store)."""
