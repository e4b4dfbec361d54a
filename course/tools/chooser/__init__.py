"""The communication-type chooser: rules, timeline, exports and its view."""
