"""``python -m cardagent`` is the ``cardagent`` command."""

import sys

from cardagent.cli import main

sys.exit(main())
