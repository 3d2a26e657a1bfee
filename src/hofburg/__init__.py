"""Hofburg: an open information system for cooperative security in the OSCE area."""

import os

__version__ = "0.1.0"

# openpyxl switches to its lxml writer whenever lxml is installed (the IATI export needs lxml),
# and that writer keeps a carriage return in a cell as it is where the standard-library writer
# makes it a line feed. Workbooks are written the one way they always were (core.tables).
os.environ.setdefault("OPENPYXL_LXML", "False")
