"""``python -m bot`` does what ``newsbot`` does."""

import sys

from bot.cli import main

sys.exit(main())
