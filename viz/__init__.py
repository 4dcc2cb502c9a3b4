"""Pictures of the graph: drawing, rendering, the backprop player, plots, the command line."""
