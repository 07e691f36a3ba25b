"""`python -m {{module}}`: the same as the `{{name}}` command."""

from {{module}} import main

main()
