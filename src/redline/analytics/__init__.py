"""Analytics over the store: event series, escalation detection, red-line watch rules, reports."""
