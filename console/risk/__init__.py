"""Risk in the console: scores with reasons on the business details, tours ordered by risk,
and the month's online patrol plan by frequency rules and risk (central's ``/api/risk``)."""
