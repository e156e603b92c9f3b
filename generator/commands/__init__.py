"""The ``briefing`` commands for editors and maintainers, without MkDocs.

The command line itself (`cli`), ``briefing diff`` (`diff`), ``briefing new`` (`scaffold`),
``briefing synth`` (`synth`), and problems as GitHub workflow commands (`github`).
"""
