"""Pure rules over plain values: weeks, plans, pace and streaks. No I/O lives here."""
