"""The risk matrix and the reprisal-response plan: rules, exports and their view."""
