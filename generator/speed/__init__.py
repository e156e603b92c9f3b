"""What makes long builds and `mkdocs serve` fast, and nothing else.

Pages rendered by a forked child (`background`), built pages written by another
(`pagewriter`), and the garbage collector's switches, the compressed shelf and the file
watcher's pace (`tuning`). The single-process path is the reference; each of these only makes
it faster.
"""
