"""One module per command-line verb. Each defines NAME, HELP, add_arguments(parser) and run(args) -> int.

``workbench.cli`` discovers them, so adding a verb means adding a module here and nothing else.
"""
