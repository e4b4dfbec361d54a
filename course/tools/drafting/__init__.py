"""The drafting form for a communication to the Special Procedures: rules, exports and its view."""
