"""The console: the embedded default, where anyone can live the pivot in a terminal."""
