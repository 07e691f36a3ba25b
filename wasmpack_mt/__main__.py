"""`python -m wasmpack_mt` is the `wasmpack` command."""

import sys

from wasmpack_mt.cli import main

sys.exit(main())
