"""The command-line layer: the only package that knows about typer and the terminal."""
