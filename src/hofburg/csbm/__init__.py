"""The CSBM desk: the Vienna Document's notifications, observation, constraints and verification."""
