"""Helpers the module notebooks use: charts, the quiz and the mechanisms comparison."""
