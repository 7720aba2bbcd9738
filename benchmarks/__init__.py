"""Speed and memory benchmarks: scripts that print figures (house style: not timed tests)."""
