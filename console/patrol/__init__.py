"""Online patrol (网络巡查): plans, the wall on one business at a time, verdicts."""
