from generator.commands.cli import console

raise SystemExit(console())
