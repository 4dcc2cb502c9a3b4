"""Shared test settings: hypothesis without deadlines (CI machines are noisy)."""

import os

from hypothesis import settings

settings.register_profile("chainrule", deadline=None, derandomize=bool(os.environ.get("CI")))
settings.load_profile("chainrule")
