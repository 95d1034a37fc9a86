"""`python -m lagesbild.cli`."""

import sys

from lagesbild.cli import main

sys.exit(main())
