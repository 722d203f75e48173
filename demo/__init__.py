"""``kitchenwatch-demo``: central, the simulator and the console on one machine."""
