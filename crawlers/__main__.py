"""`python -m crawlers`: see crawlers/run.py."""

import sys

from crawlers.run import main

sys.exit(main())
