"""The version of lambdago, in one place."""

__version__ = "0.1.0"
