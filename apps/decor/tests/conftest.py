"""The decoration app's tests find their helpers (photos) beside them."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
