"""Live context read side: sessions, seats, the session feed, and who sees which entry."""
