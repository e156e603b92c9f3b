from generator.cli import console

raise SystemExit(console())
