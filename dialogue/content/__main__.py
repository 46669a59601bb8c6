"""`python -m dialogue.content check [--min-per-label N]`: validate every case, persona, axis and rubric."""

import sys

from dialogue.content.cases import main

sys.exit(main())
