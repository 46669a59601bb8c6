import sys

from dialogue.content.importers import main

sys.exit(main())
