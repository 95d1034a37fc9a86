"""Pure analysis on aggregated frames: hot spots, period comparison, effect of actions."""
